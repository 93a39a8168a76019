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

from kerastorch.layers.preprocessing.augment_layers import (
    draw_step,
    make_augment_layers,
    share_generators,
    step_images,
    step_masks,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    PixelValueLayer,
)

_COLOUR_ONLY = (
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)


class AugMix(PixelValueLayer):
    """AugMix (Hendrycks et al., 2020): a convex mix of augmentation chains (training only).

    `num_chains` chains each apply up to `chain_depth` operations (each step picks one of
    the operations or none, uniformly); the chains are mixed with Dirichlet(`alpha`)
    weights, and the result with the image by a Beta(`alpha`, `alpha`) weight `m`:
    `clip(m x + (1 - m) sum_i w_i chain_i(x), *value_range)`. As in Keras, the chains, the
    weights and `m` are drawn once per call for the whole batch (each operation still draws
    per-image amounts). Those draws happen on the host (a CPU generator), so only the
    chosen operations run and nothing waits on the device.

    Dict inputs (Keras's `{"images", "bounding_boxes", "segmentation_masks", "labels"}`):
    as in Keras, the boxes (which need `bounding_box_format`) and the labels pass through
    unchanged, and the masks are mixed like the images, through the same chains (the
    geometric operations move them, the colour ones leave them).

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
        bounding_box_format: the format of a dict input's `"bounding_boxes"` (e.g.
            `"xyxy"`); required for boxes, as in Keras.
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
            self.factor,
            value_range,
            interpolation,
            seed,
            self.data_format,
            kwargs.get("dtype"),
            self.bounding_box_format,
        )
        if not all_ops:
            layers = {name: layer for name, layer in layers.items() if name not in _COLOUR_ONLY}
        for name, layer in layers.items():
            setattr(self, name, layer)
        self._augment_names = list(layers)
        self._augment_layers = list(layers.values())
        share_generators(self, self._augment_layers)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """Keras's keys: `chain_mixing_weights`, `weight_sample` and `chain_transforms`."""
        if not training:
            return None
        weights, mix = self._mixing_weights()
        generator = self._generator(torch.device("cpu"))
        count = len(self._augment_names) + 1  # the last choice is "no operation"
        choices = torch.randint(0, count, (self.num_chains, self.chain_depth), generator=generator)
        chains = [
            [draw_step(self, self._augment_names[i], data) for i in chain if i < count - 1]
            for chain in choices.tolist()
        ]
        return {"chain_mixing_weights": weights, "weight_sample": mix, "chain_transforms": chains}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = self._to_float(images)
        if not training or transformation is None:
            return images
        mixed = self._mix(images, transformation, step_images)
        return mixed.clamp(self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        """Masks are mixed as the images are, through the geometric operations (not clipped).

        The result is in the compute dtype (Keras 3.15 fails on integer masks: it adds the
        float mix into an integer buffer in place).
        """
        if not training or transformation is None:
            return segmentation_masks
        return self._mix(self._to_float(segmentation_masks), transformation, step_masks)

    def _mix(self, x: torch.Tensor, transformation: dict[str, Any], step: Any) -> torch.Tensor:
        """`m x + (1 - m) sum_i w_i chain_i(x)`, each chain run through `step`."""
        augmented = torch.zeros_like(x)
        chains = transformation["chain_transforms"]
        for weight, chain in zip(transformation["chain_mixing_weights"], chains, strict=True):
            chained = x
            for op in chain:
                chained = step(self, op, chained)
            augmented = augmented + chained * weight
        mix = transformation["weight_sample"]
        return mix * x + (1 - mix) * augmented

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
