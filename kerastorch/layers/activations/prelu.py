"""`PReLU`: leaky ReLU whose negative slope `alpha` is a learned weight.

Example:
    >>> import torch
    >>> layer = PReLU(alpha_initializer="ones")
    >>> layer(torch.tensor([[-2.0, 3.0]])), layer.alpha.shape
    (tensor([[-2.,  3.]], grad_fn=<SubBackward0>), (2,))
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import constraints, initializers, regularizers
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable


class PReLU(Layer):
    """Parametric ReLU: `f(x) = x` for `x >= 0`, `alpha * x` otherwise, `alpha` learned.

    Args:
        alpha_initializer: initializer of `alpha`. Defaults to `"Zeros"`.
        alpha_regularizer: regularizer of `alpha`.
        alpha_constraint: constraint on `alpha`.
        shared_axes: axes (1-based, batch excluded) along which `alpha` is shared, e.g.
            `[1, 2]` for one slope per channel of `(batch, height, width, channels)`.
        **kwargs: base layer arguments.

    Input shape:
        Any (rank fixed once built). Output shape: same as the input.
    Weights:
        `[alpha]` of shape `input_shape[1:]`, with 1 on the shared axes (Keras layout).

    Example:
        >>> import torch
        >>> PReLU(shared_axes=[1, 2])(torch.zeros(2, 4, 4, 3)).shape
        torch.Size([2, 4, 4, 3])
    """

    alpha: Variable

    def __init__(
        self,
        alpha_initializer: Any = "Zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: int | list[int] | tuple[int, ...] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(
                f"Layer '{self.name}' (PReLU) needs every non-shared input axis to be known to "
                f"create `alpha`; received input_shape={tuple(input_shape)}. Share the unknown "
                "axes with `shared_axes`."
            )
        self.alpha = self.add_weight(
            shape=tuple(param_shape),
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {}
        if self.shared_axes:
            axes = {i: input_shape[i] for i in range(1, len(input_shape))}
            axes = {i: d for i, d in axes.items() if i not in self.shared_axes}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # Keras's formula, term for term: relu(x) - alpha * relu(-x).
        return F.relu(inputs) - self.alpha.value * F.relu(-inputs)

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
