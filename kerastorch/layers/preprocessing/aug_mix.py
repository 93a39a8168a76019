"""`AugMix`: mixes the image with several random augmentation chains, in training.

Example:
    >>> import torch
    >>> layer = AugMix(value_range=(0, 1), seed=0)
    >>> y = layer(torch.rand(2, 8, 8, 3), training=True)
    >>> y.shape, bool(((y >= 0) & (y <= 1)).all())
    (torch.Size([2, 8, 8, 3]), True)
"""

from __future__ import annotations

from typing import Any

import torch
from torch.distributions import Gamma

from kerastorch.layers.preprocessing.augment_layers import make_augment_layers, share_generators
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_COLOUR_ONLY = (
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)


class AugMix(BaseImagePreprocessingLayer):
    """AugMix (Hendrycks et al., 2020): a convex mix of augmentation chains (training only).

    `num_chains` chains each apply up to `chain_depth` operations (each step picks one of
    the operations or none, uniformly); the chains are mixed with Dirichlet(`alpha`)
    weights, and the result with the image by a Beta(`alpha`, `alpha`) weight `m`:
    `clip(m x + (1 - m) sum_i w_i chain_i(x), *value_range)`. As in Keras, the chains, the
    weights and `m` are drawn once per call for the whole batch (each operation still draws
    per-image amounts). Those draws happen on the host (a CPU generator), so only the
    chosen operations run and nothing waits on the device.

    Args:
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        num_chains: number of augmentation chains (default 3).
        chain_depth: maximum number of operations per chain (default 3).
        factor: a float in `[0, 1]` (meaning `(0, f)`) or a pair in `[0, 1]`: the strength
            of the operations (default 0.3).
        alpha: concentration of the Dirichlet and Beta distributions (default 1.0).
        all_ops: True (default) to also use brightness, colour degeneration, contrast and
            sharpness; False for the geometric, posterize, solarize, auto-contrast and
            equalize operations only.
        interpolation: `"bilinear"` (default) or `"nearest"`, for the geometric operations.
        seed: int, makes the draws reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 8, 8, 3) * 255
        >>> bool(torch.equal(AugMix()(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        num_chains: int = 3,
        chain_depth: int = 3,
        factor: float | tuple[float, float] = 0.3,
        alpha: float = 1.0,
        all_ops: bool = True,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self.seed = seed
        layers = make_augment_layers(
            self.factor, value_range, interpolation, seed, self.data_format, kwargs.get("dtype")
        )
        if not all_ops:
            layers = {name: layer for name, layer in layers.items() if name not in _COLOUR_ONLY}
        for name, layer in layers.items():
            setattr(self, name, layer)
        self._augment_layers = list(layers.values())
        share_generators(self, self._augment_layers)

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        # The sub-layers take batched images in `data_format`: check the rank, add the batch.
        x, unbatched = self._to_nchw(images)
        x = self._from_nchw(x, False)
        weights, mix = self._mixing_weights()
        generator = self._generator(torch.device("cpu"))
        count = len(self._augment_layers) + 1  # the last choice is "no operation"
        choices = torch.randint(0, count, (self.num_chains, self.chain_depth), generator=generator)
        augmented = torch.zeros_like(x)
        for weight, chain in zip(weights, choices.tolist(), strict=True):
            chained = x
            for index in chain:
                if index < len(self._augment_layers):
                    chained = self._augment_layers[index].call(chained, training=True)
            augmented = augmented + chained * weight
        x = (mix * x + (1 - mix) * augmented).clamp(self.value_range[0], self.value_range[1])
        return x.squeeze(0) if unbatched else x

    def _mixing_weights(self) -> tuple[list[float], float]:
        """Dirichlet chain weights and the Beta image weight, drawn on the host."""
        generator = self._generator(torch.device("cpu"))
        seed = int(torch.randint(0, 2**31 - 1, (1,), generator=generator))
        concentration = torch.full((self.num_chains + 2,), float(self.alpha), dtype=torch.float64)
        with torch.random.fork_rng(devices=[]):
            torch.random.default_generator.manual_seed(seed)
            gammas = Gamma(concentration, torch.ones_like(concentration)).sample()
        chains, pair = gammas[: self.num_chains], gammas[self.num_chains :]
        return (chains / chains.sum()).tolist(), float(pair[0] / pair.sum())

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
