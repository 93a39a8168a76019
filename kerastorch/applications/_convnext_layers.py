"""The two layers Keras's ConvNeXt defines for itself: `LayerScale` and `StochasticDepth`.

Both keep Keras's class names, arguments, weights and configs. Keras saves them as
`{"module": "keras.src.applications.convnext", "registered_name": "LayerScale"}`; ours are
saved the same way (so Keras loads our ConvNeXt files) and registered here under those bare
names (so Keras's files load here).

Example:
    >>> import torch
    >>> layer = LayerScale(0.5, 4)
    >>> layer(torch.ones(2, 4)).tolist()
    [[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]
"""

from __future__ import annotations

from typing import Any

from kerastorch import initializers, ops, random
from kerastorch.layers import Layer
from kerastorch.saving import get_custom_objects


class LayerScale(Layer):
    """Multiply the last axis by a learned per-channel scale `gamma` (CaiT, arXiv:2103.17239).

    Args:
        init_values: the initial value of every entry of `gamma`.
        projection_dim: the size of the last axis (the length of `gamma`).
    """

    _keras_module = "keras.src.applications.convnext"  # where Keras defines it
    _keras_private_name = "LayerScale"

    def __init__(self, init_values: float, projection_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _: Any) -> None:
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
        )

    def call(self, x: Any) -> Any:
        return x * self.gamma

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "init_values": self.init_values,
            "projection_dim": self.projection_dim,
        }


class StochasticDepth(Layer):
    """Drop the whole residual branch of random samples while training (drop path).

    Kept samples are scaled by `1 / (1 - drop_path_rate)`; outside training the input passes.

    Args:
        drop_path_rate: the probability of dropping a sample's branch, in [0, 1].
    """

    _keras_module = "keras.src.applications.convnext"
    _keras_private_name = "StochasticDepth"

    def __init__(self, drop_path_rate: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x: Any, training: bool | None = None) -> Any:
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        mask = ops.floor(keep_prob + random.uniform(shape, 0, 1, dtype=x.dtype))
        return (x / keep_prob) * mask

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


# Keras writes these layers' registered names without a package.
get_custom_objects().update({"LayerScale": LayerScale, "StochasticDepth": StochasticDepth})

__all__ = ["LayerScale", "StochasticDepth"]
