"""`Operation`: the base of everything that can be called on KerasTensors.

An operation has a `name`, a `call` that computes on tensors, and `_inbound_nodes`, the
record of its calls on KerasTensors. Called on KerasTensors it infers its output spec on
torch's `meta` device and records a `Node`; called on tensors it computes. `Layer` (floor 3)
is an `Operation` with weights, `build`, masks and `training`; the weightless ops that
arithmetic on KerasTensors records (`Add`, `GetItem`, ...) live in `kerastorch.ops`.

It is an `nn.Module` (without parameters), so a functional model holds its operations as
submodules and `torch.compile`, `torch.export` and pickling see one tree.

Example:
    >>> import torch
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> class Double(Operation):
    ...     def call(self, x):
    ...         return x * 2
    >>> Double()(torch.ones(2)).tolist()
    [2.0, 2.0]
    >>> op = Double()
    >>> op(KerasTensor((None, 3))).shape, len(op._inbound_nodes)
    ((None, 3), 1)
"""

from __future__ import annotations

from typing import Any

from torch import nn

from kerastorch.common import naming
from kerastorch.graph import remat, tracing
from kerastorch.graph.keras_tensor import any_symbolic
from kerastorch.graph.node import Node


class Operation(nn.Module):
    """Something called on tensors or KerasTensors; subclasses implement `call`.

    Args:
        name: the operation's name; by default the class name in snake_case, made unique.
    """

    def __init__(self, name: str | None = None):
        super().__init__()
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._inbound_nodes: list[Node] = []
        self._remat_mode = remat.get_current_remat_mode()  # a `RematScope` open now applies

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """Infer the output KerasTensors and record the call as a `Node`."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """Output KerasTensor(s) for symbolic inputs, by tracing on the `meta` device."""
        return tracing.compute_output_spec_by_tracing(self, args, kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__} does not have a `call()` method.")

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """torch's entry point: `nn.Module.__call__` runs it; it runs `call`."""
        if self._remat_mode is not None:
            return remat.rematerialized_call(self, self.call, args, kwargs)
        return self.call(*args, **kwargs)

    @property
    def input(self) -> Any:
        """The symbolic input of the layer's first call (functional API)."""
        return self._node_attr("input", 0)

    @property
    def output(self) -> Any:
        """The symbolic output of the layer's first call (functional API)."""
        return self._node_attr("output", 0)

    def _node_attr(self, what: str, node_index: int) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called and thus has no defined {what}."
            )
        node = self._inbound_nodes[node_index]
        if what == "output":
            return node.outputs
        return node.call_args[0] if node.call_args else next(iter(node.call_kwargs.values()))

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments: the name."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Operation:
        """Create the operation from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
