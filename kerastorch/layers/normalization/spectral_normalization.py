"""`SpectralNormalization`: divide a wrapped layer's kernel by its spectral norm in training.

Example:
    >>> import kerastorch as keras
    >>> layer = SpectralNormalization(keras.layers.Dense(3))
    >>> layer(keras.Input((4,))).shape
    (None, 3)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config, initializers
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class SpectralNormalization(Layer):
    """Wrap a layer that has a `kernel` (or `embeddings`) and keep its spectral norm near 1.

    Each call with `training=True` runs `power_iterations` steps of the power method on the
    kernel reshaped to `(-1, kernel.shape[-1])` (starting from the stored `vector_u`), then
    overwrites the kernel with `kernel / sigma` and `vector_u` with the new estimate, as
    Keras does (an all-zero kernel is left as is). Inference runs the wrapped layer as is.

    Args:
        layer: a `Layer` instance with a `kernel` or `embeddings` weight.
        power_iterations: number of power iterations per training call. Defaults to 1.

    Weights:
        Keras's order: the wrapped kernel, `vector_u (1, kernel.shape[-1])` (non-trainable),
        then the wrapped layer's other weights.

    Example:
        >>> import torch
        >>> from kerastorch.layers.core.dense import Dense
        >>> sn = SpectralNormalization(Dense(2), power_iterations=30)
        >>> y = sn(torch.randn(5, 4), training=True)
        >>> sigma = torch.linalg.matrix_norm(sn.layer.kernel.value.detach(), ord=2)
        >>> round(float(sigma), 3)
        1.0
    """

    def __init__(self, layer: Layer, power_iterations: int = 1, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please "
                "ensure wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.layer = layer
        self.power_iterations = power_iterations

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'"
            )
        self.kernel_shape = tuple(self.kernel.shape)
        # Keras tracks the kernel as the wrapper's own weight too: it comes first in `weights`.
        self._trainable_variables.append(self.kernel)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )

    def call(self, inputs: Tensor, training: bool | None = False) -> Tensor:
        if training:
            with torch.no_grad():
                kernel = self.kernel.value  # Keras layout
                vector_u, normalized = self._normalized_weights(kernel)
                nonzero = kernel.ne(0).any()  # no host sync: both branches computed
                self.vector_u.tensor.copy_(torch.where(nonzero, vector_u, self.vector_u.tensor))
                self.kernel.assign(torch.where(nonzero, normalized, kernel))
        return self.layer(inputs).to(inputs.dtype)

    def _normalized_weights(self, kernel: Tensor) -> tuple[Tensor, Tensor]:
        weights = kernel.reshape(-1, self.kernel_shape[-1])  # (rows, units)
        vector_u = self.vector_u.tensor
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(vector_u @ weights.T)
            vector_u = _l2_normalize(vector_v @ weights)
        sigma = (vector_v @ weights) @ vector_u.T  # (1, 1)
        return vector_u, (weights / sigma).reshape(self.kernel_shape)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> Any:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "layer": serialize_keras_object(self.layer),
            "power_iterations": self.power_iterations,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> SpectralNormalization:
        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name")
        return cls(layer, **config)


def _l2_normalize(x: Tensor) -> Tensor:
    """Keras's `normalize(x, axis=None)`: `x * min(rsqrt(sum(x**2)), 1 / epsilon)`."""
    inv = x.square().sum().rsqrt().clamp_max(1.0 / config.epsilon())
    return x * inv
