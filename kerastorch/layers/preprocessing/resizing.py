"""`Resizing`: resizes images to `(height, width)`, optionally keeping the aspect ratio.

Example:
    >>> import torch
    >>> Resizing(4, 6)(torch.rand(2, 8, 8, 3)).shape
    torch.Size([2, 4, 6, 3])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
)

_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def resize_images(
    images: torch.Tensor,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
) -> torch.Tensor:
    """Resize batched NCHW `images` to `size` (Keras's `ops.image.resize`, torch backend).

    `"bilinear"` uses half-pixel centres (`align_corners=False`), as TensorFlow and Keras
    do; `"nearest"` is torch's `"nearest-exact"` (TF's half-pixel nearest). Integer images
    are resized in float32, then rounded and cast back to their dtype.
    """
    out_dtype = images.dtype
    if out_dtype not in (torch.float32, torch.float64):
        images = images.to(torch.float32)
    height, width = images.shape[-2:]
    target_h, target_w = size
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
        crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
        top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
        images = images[:, :, top : top + crop_h, left : left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(float(width * target_h) / target_w))
        pad_w = max(width, int(float(height * target_w) / target_h))
        top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
        # Keras pads `top` rows above and below (and `left` columns each side).
        images = F.pad(images, (left, left, top, top), value=float(fill_value))
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False
    align_corners = False if interpolation in ("bilinear", "bicubic") else None
    resized = F.interpolate(
        images,
        size=(target_h, target_w),
        mode=_MODES[interpolation],
        align_corners=align_corners,
        antialias=antialias,
    )
    if out_dtype == torch.uint8 and interpolation == "bicubic":
        resized = resized.clamp(0, 255)
    if resized.dtype != out_dtype:
        if not out_dtype.is_floating_point:
            resized = torch.round(resized)
        resized = resized.to(out_dtype)
    return resized


class Resizing(BaseImagePreprocessingLayer):
    """Resizes a batch of images to `(height, width)`, in training and inference.

    Dict inputs have their `"bounding_boxes"` (needs `bounding_box_format`; all-0 and
    all-(-1) padding boxes stay all 0) and `"segmentation_masks"` (nearest) resized too.

    Args:
        height: int, output height.
        width: int, output width.
        interpolation: `"bilinear"` (default; half-pixel centres, no antialiasing unless
            asked), `"nearest"` or `"bicubic"` (torch's bicubic kernel, as Keras's torch
            backend). `"lanczos3"`/`"lanczos5"` are not supported, as in Keras on torch.
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio
            before resizing, so the image is not distorted.
        pad_to_aspect_ratio: pad evenly with `fill_value` to the target aspect ratio before
            resizing, so the image is not distorted.
        fill_mode: only `"constant"` (the padding of `pad_to_aspect_ratio`).
        fill_value: padding value for `pad_to_aspect_ratio`.
        antialias: use an antialiasing filter when downsampling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, height, width, channels)` or unbatched `(height, width, channels)`
        (channels first likewise). Integer images keep their dtype (values are rounded).
    Output shape:
        `(batch, height, width, channels)` with the target `height` and `width`.

    Example:
        >>> import torch
        >>> Resizing(4, 4, crop_to_aspect_ratio=True)(torch.rand(8, 16, 3)).shape
        torch.Size([4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if interpolation in ("lanczos3", "lanczos5"):
            raise ValueError(
                "Resizing with Lanczos interpolation is not supported by kerastorch (nor by "
                f"Keras's torch backend). Received: interpolation={interpolation}."
            )
        if interpolation not in _MODES:
            raise ValueError(
                f"Invalid value for argument `interpolation`. Expected one of {tuple(_MODES)}."
                f" Received: interpolation={interpolation}"
            )
        if fill_mode != "constant":
            raise ValueError(
                "Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
                f"Received: fill_mode={fill_mode}"
            )
        if pad_to_aspect_ratio and crop_to_aspect_ratio:
            raise ValueError(
                "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> tuple[int, int]:
        images = data["images"] if isinstance(data, dict) else data
        return self._height_width(images.shape)  # Keras's transformation: the input size

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        return self._transform_images(images, transformation, self.interpolation)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        return self._transform_images(segmentation_masks, transformation, "nearest")

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        x, _ = self._to_nchw(torch.as_tensor(images))
        x = resize_images(
            x,
            (self.height, self.width),
            interpolation=interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
        )
        return self._from_nchw(x, False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        height, width = transformation
        padding = (bounding_boxes["boxes"] == -1).all(-1) | (bounding_boxes["boxes"] == 0).all(-1)
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        boxes["boxes"] = self._transform_xyxy(boxes["boxes"], height, width)
        boxes = clip_to_image_size(boxes, height=self.height, width=self.width)
        boxes["boxes"] = torch.where(padding.unsqueeze(-1), 0.0, boxes["boxes"])
        return convert_format(
            boxes, "xyxy", self.bounding_box_format, height=self.height, width=self.width
        )

    def _transform_xyxy(self, boxes: torch.Tensor, height: int, width: int) -> torch.Tensor:
        """Keras's box geometry of the stretch, crop or pad resize (float tensor maths)."""
        h = torch.tensor(height, dtype=boxes.dtype, device=boxes.device)
        w = torch.tensor(width, dtype=boxes.dtype, device=boxes.device)
        if self.pad_to_aspect_ratio:
            ratio = torch.minimum(self.height / h, self.width / w)
            scale_x = scale_y = ratio
            shift_x, shift_y = -((self.width - w * ratio) // 2), -((self.height - h * ratio) // 2)
        elif self.crop_to_aspect_ratio:
            source = w / h
            wider = source > self.width / self.height
            new_w = torch.where(wider, self.height * source, self.width)
            new_h = torch.where(wider, self.height, self.width / source)
            scale_x, scale_y = new_w / w, new_h / h
            shift_x, shift_y = (new_w - self.width) // 2, (new_h - self.height) // 2
        else:
            scale_x, scale_y = self.width / w, self.height / h
            shift_x = shift_y = torch.zeros((), dtype=boxes.dtype, device=boxes.device)
        x1, y1, x2, y2 = boxes.unbind(-1)
        return torch.stack(
            [
                x1 * scale_x - shift_x,
                y1 * scale_y - shift_y,
                x2 * scale_x - shift_x,
                y2 * scale_y - shift_y,
            ],
            dim=-1,
        )

    # Output specs by tracing (the base's identity shape does not apply; dtypes follow inputs).
    compute_output_shape = Layer.compute_output_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
