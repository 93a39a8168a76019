"""`RandomErasing`: replaces a random box of each image by a fill value or noise.

Example:
    >>> import torch
    >>> layer = RandomErasing(scale=(1.0, 1.0), factor=(1.0, 1.0), fill_value=0.0)
    >>> float(layer(torch.rand(2, 8, 8, 3), training=True).abs().max())
    0.0
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.preprocessing._augmentation import (
    apply_mask,
    box_masks,
    check_unit_pair,
    random_boxes,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    PixelValueLayer,
)

_FILL_ERROR = "The `fill_value` argument should be a number (or a list of three numbers) "


class RandomErasing(PixelValueLayer):
    """Random Erasing ([Zhong et al., 2017](https://arxiv.org/abs/1708.04896)), training only.

    Each image is erased with a probability drawn in `factor`: a box of `sqrt(s_x)` of the
    width and `sqrt(s_y)` of the height (`s_x`, `s_y` drawn in `scale`), at a random place,
    is set to `fill_value` (or to `N(0, 1) * value_range[1]` noise when it is `None`),
    clipped to `value_range`.

    Args:
        factor: the erasing probability: a float `f` in `[0, 1]` (drawn in `[0, f]`) or a
            pair; default 1.
        scale: `(lower, upper)` in `[0, 1]` of the erased fractions `s_x`, `s_y` (default
            `(0.02, 0.33)`).
        fill_value: a number, a list of three numbers (one per channel), or `None` (noise).
        value_range: `(min, max)` of the image values (default `(0, 255)`).
        seed: int, makes the boxes reproducible.
        bounding_box_format: the format of a dict input's `"bounding_boxes"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or Keras's dict with `"images"`; its labels,
            bounding boxes (which need `bounding_box_format`, Keras's `ValueError`
            otherwise) and segmentation masks pass through unchanged, as in Keras.
        training: only `training=False` disables the augmentation.

    Example:
        >>> import torch
        >>> RandomErasing(seed=1)(torch.rand(8, 8, 3), training=False).shape
        torch.Size([8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = (0.02, 0.33),
        fill_value: float | list[float] | None = None,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_unit_pair(factor, "factor")
        self.scale = check_unit_pair(scale, "scale")
        if isinstance(fill_value, (tuple, list)):
            if len(fill_value) != 3:
                raise ValueError(_FILL_ERROR + f"Received: fill_value={fill_value}")
        elif fill_value is not None and not isinstance(fill_value, (int, float)):
            raise ValueError(_FILL_ERROR + f"Received: fill_value={fill_value}")
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """Keras's keys: `apply_erasing` `(batch,)`, `batch_masks` and `fill_value`.

        The masks and the fill broadcast against the (batched) images in `data_format`.
        """
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        nchw, _ = self._to_nchw(images)
        n, c, h, w = nchw.shape
        device = images.device
        ratios = torch.sqrt(self._uniform((n, 2), self.scale[0], self.scale[1], device))
        x0, x1, y0, y1 = random_boxes(self, ratios[:, 0], ratios[:, 1], h, w)
        masks = self._from_nchw(box_masks(x0, x1, y0, y1, h, w), False)
        apply = apply_mask(self, self.factor, n, device)
        dtype = to_torch_dtype(self.compute_dtype)
        if self.fill_value is None:
            generator = self._generator(device)
            noise = torch.randn((n, c, h, w), generator=generator, device=device, dtype=dtype)
            fill = self._from_nchw(noise * self.value_range[1], False)
        else:
            fill = torch.as_tensor(self.fill_value, dtype=dtype, device=device)
            if fill.ndim:
                fill = fill.view(-1, 1, 1) if self.data_format == "channels_first" else fill
        fill = fill.clamp(self.value_range[0], self.value_range[1])
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": fill}

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        images = self._to_float(images)
        if not training or transformation is None:
            return images
        erase = transformation["batch_masks"] & transformation["apply_erasing"].view(-1, 1, 1, 1)
        return torch.where(erase, transformation["fill_value"].to(images.dtype), images)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
