"""`@keras_op`: one function that computes on tensors and records a node on KerasTensors.

Every public op is written once, as a plain function on torch tensors. The decorator
adds the symbolic path: called with a `KerasTensor` among its tensor arguments, the op
becomes an `Operation` (a class named as Keras names it, `concatenate` -> `Concatenate`,
registered for `.keras` files) whose constructor takes the other arguments, and records a
node with its output spec inferred on the meta device. Called on tensors it is the plain
function, with one cheap check in front.

Example:
    >>> import torch
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> @keras_op("numpy", tensors=("xs",))
    ... def stack_demo(xs, axis=0):
    ...     return torch.stack(list(xs), dim=axis)
    >>> stack_demo([torch.ones(2), torch.zeros(2)], axis=1).shape
    torch.Size([2, 2])
    >>> y = stack_demo([KerasTensor((None, 3)), KerasTensor((None, 3))], axis=-1)
    >>> y.shape, type(y._keras_history.layer).__name__, y._keras_history.layer.get_config()
    ((None, 3, 2), 'StackDemo', {'name': 'stack_demo', 'axis': -1})
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ClassVar

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation

# Keras class name -> the Operation class of each op; registered in the "ops" family.
OP_CLASSES: dict[str, type[Operation]] = {}


class FunctionOperation(Operation):
    """An op called on KerasTensors: its non-tensor arguments are its config."""

    function: ClassVar[Callable[..., Any]]
    tensor_names: ClassVar[tuple[str, ...]]
    varargs_name: ClassVar[str | None]  # a `*args` parameter among the tensor ones
    leading_names: ClassVar[tuple[str, ...]]  # the parameters before it

    def __init__(self, name: str | None = None, **config: Any):
        super().__init__(name=name)
        self._config = config

    def call(self, *tensors: Any, **arguments: Any) -> Any:
        """Run the function; keyword `arguments` (as Keras's files record some call
        arguments) override the config. A `*args` parameter's tensors come last, spread out
        (as Keras records them)."""
        cls = type(self)
        fixed = [n for n in cls.tensor_names if n != cls.varargs_name]
        named = dict(zip(fixed, tensors, strict=False))
        values = {**self._config, **arguments, **named}
        if cls.varargs_name is None:
            return cls.function(**values)
        values.pop(cls.varargs_name, None)
        positional = [values.pop(n) for n in cls.leading_names]
        return cls.function(*positional, *tensors[len(fixed) :], **values)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self._config}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def is_symbolic(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a KerasTensor is among the arguments, or one level down in a list/tuple."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, KerasTensor):
                    return True
    return False


def keras_op(
    module: str,
    tensors: tuple[str, ...] | None = None,
    class_name: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make `function` an op of `keras.ops.<module>` that also works on KerasTensors.

    Args:
        module: Keras's op module (`"numpy"`, `"nn"`, `"core"`, `"math"`, `"linalg"`,
            `"image"`): the class is saved as `keras.src.ops.<module>.<ClassName>`.
        tensors: the names of the parameters that take tensors (the node's inputs); by
            default the first parameter. The others become the operation's config.
        class_name: the class name when Keras's differs from the function's CamelCase.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(function)
        parameters = signature.parameters
        names = tensors or (next(iter(parameters)),)
        varargs = [n for n in names if parameters[n].kind is inspect.Parameter.VAR_POSITIONAL]
        leading = []
        for parameter in parameters.values():
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                break
            leading.append(parameter.name)
        op_name = class_name or _camel(function.__name__)
        cls = type(
            op_name,
            (FunctionOperation,),
            {
                "function": staticmethod(function),
                "tensor_names": tuple(names),
                "varargs_name": varargs[0] if varargs else None,
                "leading_names": tuple(leading),
                "_keras_module": f"keras.src.ops.{module}",
                "__doc__": f"The `{function.__name__}` op recorded on KerasTensors.",
                "__module__": function.__module__,
            },
        )
        OP_CLASSES.setdefault(op_name, cls)

        @functools.wraps(function)
        def op(*args: Any, **kwargs: Any) -> Any:
            if not is_symbolic(args, kwargs):
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            inputs = [arguments.pop(n) for n in names if n != cls.varargs_name]
            if cls.varargs_name is not None:
                inputs.extend(arguments.pop(cls.varargs_name))
            return cls(**arguments)(*inputs)

        op.operation_class = cls
        return op

    return decorate


__all__ = ["FunctionOperation", "OP_CLASSES", "is_symbolic", "keras_op"]
