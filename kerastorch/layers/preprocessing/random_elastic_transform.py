"""`RandomElasticTransform`: deforms images by a smooth random displacement field.

Example:
    >>> import torch
    >>> RandomElasticTransform(seed=0)(torch.rand(2, 16, 16, 3), training=True).shape
    torch.Size([2, 16, 16, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing._augmentation import (
    apply_mask,
    check_unit_pair,
    merge_data,
    split_data,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    SUPPORTED_INTERPOLATIONS,
    BaseImagePreprocessingLayer,
)
from kerastorch.ops.image.filters import gaussian_blur
from kerastorch.ops.image.sampling import sample_images

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_INTERPOLATION_ORDER = {"nearest": 0, "bilinear": 1}


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """Elastic deformation of each image (training only), clipped to `value_range`.

    A distortion `d` is drawn in `scale` once per call; each image is deformed with a
    probability drawn in `factor`, by displacements `alpha * blur_sigma(sigma * N(0, 1))`
    along x and y, with `alpha = 0.1 * d * max(h, w)` and `sigma = 0.05 * d * min(h, w)`
    (Keras's parameters); the pixels are read back with `interpolation` and `fill_mode`.

    Keras sizes the blur kernel `int(6 * sigma) | 1` from the drawn `sigma`, which needs the
    value on the host; here the kernel has the size for the largest `sigma` of `scale` and
    the drawn `sigma` stays on the device (the Gaussian is the same, less truncated).

    Args:
        factor: the deformation probability: a float `f` in `[0, 1]` (drawn in `[0, f]`)
            or a pair; default 1.
        scale: a float `s` in `[0, 1]` (`d` drawn in `[0, s]`) or a pair (default 1).
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: `"reflect"` (default), `"constant"`, `"nearest"`, `"wrap"` or `"mirror"`.
        fill_value: the value outside the image for `fill_mode="constant"`.
        value_range: `(min, max)` of the image values (default `(0, 255)`).
        seed: int, makes the deformations reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or a dict with `"images"` and optionally `"labels"`
            (unchanged) and `"segmentation_masks"` (deformed with nearest interpolation).
            `"bounding_boxes"` raise NotImplementedError, as in Keras.
        training: only `training=False` disables the augmentation.

    Example:
        >>> import torch
        >>> x = torch.rand(8, 8, 3)
        >>> bool(torch.equal(RandomElasticTransform()(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = 1.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_unit_pair(factor, "factor")
        self.scale = check_unit_pair(scale, "scale")
        if interpolation not in SUPPORTED_INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one "
                f"{SUPPORTED_INTERPOLATIONS}."
            )
        if fill_mode not in _FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {_FILL_MODES}."
            )
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed

    def _displacements(self, n: int, h: int, w: int, device: torch.device) -> torch.Tensor:
        """`(2, n, h, w)` displacements `(dy, dx)` in pixels."""
        distortion = self._uniform((), self.scale[0], self.scale[1], device)
        alpha = max(h, w) * 0.1 * distortion
        sigma = min(h, w) * 0.05 * distortion
        size = int(6 * min(h, w) * 0.05 * self.scale[1]) | 1
        noise = torch.randn((2 * n, 1, h, w), generator=self._generator(device), device=device)
        kernel_sigma = (sigma.clamp_min(1e-6),) * 2
        smooth = gaussian_blur(noise * sigma, (size, size), kernel_sigma, "channels_first")
        return (alpha * smooth).view(2, n, h, w)

    def _deform(self, t: torch.Tensor, shifts: torch.Tensor, interpolation: str) -> torch.Tensor:
        h, w = t.shape[2:]
        rows = torch.arange(h, dtype=shifts.dtype, device=t.device).view(1, h, 1)
        cols = torch.arange(w, dtype=shifts.dtype, device=t.device).view(1, 1, w)
        order = _INTERPOLATION_ORDER[interpolation]
        out = sample_images(
            t.permute(0, 2, 3, 1), rows + shifts[0], cols + shifts[1], order, self.fill_mode,
            self.fill_value,
        )  # fmt: skip
        return out.permute(0, 3, 1, 2)

    def call(self, data: Any, training: bool | None = True) -> Any:
        self._refuse_bounding_boxes(data, "Keras 3.15 raises NotImplementedError for them too")
        images, rest = split_data(data, "RandomElasticTransform")
        x, unbatched = self._to_nchw(self._to_float(images))
        if not self._is_training(training) or self.scale[1] == 0 or self.factor[1] == 0:
            return merge_data(rest, self._from_nchw(x, unbatched))
        n, _, h, w = x.shape
        apply = apply_mask(self, self.factor, n, x.device).view(-1, 1, 1, 1)
        shifts = self._displacements(n, h, w, x.device).to(x.dtype)
        x = torch.where(apply, self._deform(x, shifts, self.interpolation), x)
        x = x.clamp(self.value_range[0], self.value_range[1])
        updates = {}
        if rest is not None and "segmentation_masks" in rest:
            masks, _ = self._to_nchw(self._to_float(rest["segmentation_masks"]))
            masks = torch.where(apply, self._deform(masks, shifts, "nearest"), masks)
            updates["segmentation_masks"] = self._from_nchw(masks, unbatched)
        return merge_data(rest, self._from_nchw(x, unbatched), **updates)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
