"""`tf.GradientTape` for the custom training loop of the tf.keras guides, on torch autograd.

    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

torch records every operation on tensors that require gradients, so the tape itself only
marks the block; `gradient` differentiates `target` with respect to `sources` (Variables,
given in Keras layout, or tensors) and returns the gradients in the sources' structure,
None for a source that `target` does not depend on.

Example:
    >>> import torch
    >>> x = torch.tensor(3.0)
    >>> with GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.variables import Variable


class GradientTape:
    """`tf.GradientTape(persistent=False, watch_accessed_variables=True)`."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self.persistent = persistent
        self._used = False

    def __enter__(self) -> GradientTape:
        self._grad_mode = torch.is_grad_enabled()
        torch.set_grad_enabled(True)
        return self

    def __exit__(self, *exc: object) -> None:
        torch.set_grad_enabled(self._grad_mode)

    def watch(self, tensor: Any) -> None:
        """Record operations on `tensor` (a leaf tensor starts requiring gradients)."""
        for t in tree.flatten(tensor):
            if isinstance(t, torch.Tensor) and t.is_leaf and t.is_floating_point():
                t.requires_grad_(True)

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: str = "none") -> Any:  # fmt: skip
        """d`target`/d`sources`, in the structure of `sources` (None where unconnected)."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients (or jacobians); create it with persistent=True for more."
            )
        self._used = True
        flat_sources = tree.flatten(sources)
        leaves = [s.tensor if isinstance(s, Variable) else s for s in flat_sources]
        targets = [t for t in tree.flatten(target) if isinstance(t, torch.Tensor)]
        seeds = None if output_gradients is None else tree.flatten(output_gradients)
        grads = torch.autograd.grad(targets, leaves, grad_outputs=seeds, allow_unused=True,
                                    retain_graph=self.persistent)  # fmt: skip
        out = []
        for source, grad in zip(flat_sources, grads, strict=True):
            if grad is None and unconnected_gradients == "zero":
                grad = torch.zeros_like(source.tensor if isinstance(source, Variable) else source)
            if grad is not None and isinstance(source, Variable):
                grad = source.to_keras_layout(grad)
            out.append(grad)
        return tree.pack_sequence_as(sources, out) if tree.is_nested(sources) else out[0]


__all__ = ["GradientTape"]
