"""`BaseImagePreprocessingLayer`: what the image preprocessing layers share.

- `data_format` handling: the work is done on NCHW tensors; channels_last images are
  handed over as zero-copy permuted views (`x.permute(0, 3, 1, 2)`) and the result is
  permuted back as a view. Unbatched `(height, width, channels)` images are accepted.
- Keras's `factor` validation (a number `f` means `(-f, f)`, a pair is sorted).
- Seeded randomness: a `torch.Generator` per device, seeded with `seed`; without a seed the
  global torch generator is used (so `torch.manual_seed` makes runs reproducible).
- Keras's `training` rule for these layers: `call(inputs, training=True)`. A layer called
  with no `training` (and outside `fit`/`evaluate`/`predict`) augments, as in Keras; only
  `training=False` (`predict`, `evaluate`) makes it an identity.
- Keras's data dicts and hooks: `call(data, training)` takes images or a dict
  `{"images", "bounding_boxes": {"boxes", "labels"}, "segmentation_masks", "labels"}`; it
  draws one `get_random_transformation(data, training)` and hands it to
  `transform_images`, `transform_bounding_boxes`, `transform_labels` and
  `transform_segmentation_masks` (always batched: an unbatched input gets a batch axis for
  the hooks, removed after). Boxes need `bounding_box_format` (Keras's error otherwise).
  A subclass whose own `call(inputs, ...)` takes images only (the colour layers) is wrapped:
  on a dict its `call` transforms the images and the boxes, labels and masks pass through
  unchanged (or through its own `transform_*` hooks where it defines them).
- `affine_transform`: Keras's projective image transform (`[a0, a1, a2, b0, b1, b2, c0,
  c1]` maps each output pixel `(x, y)` to the input point `(a0 x + a1 y + a2, b0 x + b1 y +
  b2)`), run batched with `F.affine_grid` + `F.grid_sample` for the `"constant"`,
  `"nearest"` and `"reflect"` fill modes, and with one batched gather for `"wrap"`.

Example:
    >>> import torch
    >>> from kerastorch.layers.preprocessing.random_flip import RandomFlip
    >>> RandomFlip("horizontal", seed=1)(torch.rand(2, 8, 8, 3), training=False).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

import functools
import inspect
import math
from typing import Any, ClassVar

import torch
import torch.nn.functional as F

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.config import standardize_data_format
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.bounding_boxes.validation import densify_bounding_boxes
from kerastorch.ops.conversion import convert_to_tensor

SUPPORTED_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
SUPPORTED_INTERPOLATIONS = ("nearest", "bilinear")
_GRID_PADDING = {"constant": "zeros", "nearest": "border", "reflect": "reflection"}


class BaseImagePreprocessingLayer(Layer):
    """Base of the image preprocessing layers (see the module docstring).

    Args:
        factor: the layer's augmentation range, validated against `_FACTOR_BOUNDS` when the
            subclass uses it (`_USE_BASE_FACTOR`).
        bounding_box_format: the format of the `"bounding_boxes"` of dict inputs (e.g.
            `"xyxy"`, see `keras.utils.bounding_boxes.convert_format`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.
    """

    _USE_BASE_FACTOR: ClassVar[bool] = True
    _FACTOR_BOUNDS: ClassVar[tuple[float, float]] = (-1, 1)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        own_call = cls.__dict__.get("call")
        if own_call is not None and list(inspect.signature(own_call).parameters)[1] == "inputs":
            cls.call = _images_only_call(own_call)
        super().__init_subclass__(**kwargs)

    def __init__(
        self,
        factor: Any = None,
        bounding_box_format: str | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"Layer {type(self).__name__} does not take a `factor` argument. "
                f"Received: factor={factor}"
            )
        self._generators: dict[torch.device, torch.Generator] = {}
        self.built = True

    def _set_factor(self, factor: Any) -> None:
        low, high = self._FACTOR_BOUNDS
        error = (
            "The `factor` argument should be a number (or a list of two numbers) in the range "
            f"[{low}, {high}]. Received: factor={factor}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(error)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if factor < low or factor > high:
                raise ValueError(error)
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise ValueError(error)
        self.factor = (lower, upper)

    # -- Keras's data dict and hooks ----------------------------------------------------------
    def call(self, data: Any, training: bool | None = True) -> Any:
        training = self._is_training(training)
        if not isinstance(data, dict):
            images, unbatched = self._batched(data)
            transformation = self.get_random_transformation(images, training=training)
            images = self.transform_images(images, transformation, training=training)
            return images.squeeze(0) if unbatched else images
        data, unbatched = self._batched_dict(data)
        transformation = self.get_random_transformation(data, training=training)
        out = dict(data)
        out["images"] = self.transform_images(data["images"], transformation, training=training)
        if "bounding_boxes" in data:
            out["bounding_boxes"] = self.transform_bounding_boxes(
                data["bounding_boxes"], transformation, training=training
            )
        if "labels" in data:
            out["labels"] = self.transform_labels(data["labels"], transformation, training)
        if "segmentation_masks" in data:
            out["segmentation_masks"] = self.transform_segmentation_masks(
                data["segmentation_masks"], transformation, training=training
            )
        return _unbatch_dict(out) if unbatched else out

    def get_random_transformation(self, data: Any, training: bool = True, seed: Any = None) -> Any:
        """The random parameters of one call (Keras's keys), or None when not training."""
        return None

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        """Batched images in `data_format`, cast to the compute dtype and transformed."""
        images = self._to_float(images)
        if training:
            images = self._transform_images(images, transformation, self.interpolation)
        return images

    def _transform_images(self, images: torch.Tensor, transformation: Any, interpolation: str):
        raise NotImplementedError(
            f"{type(self).__name__} defines no `_transform_images` (nor `transform_images`)."
        )

    def transform_labels(self, labels: Any, transformation: Any, training: bool = True) -> Any:
        """Labels are unchanged unless the layer mixes images (MixUp, CutMix)."""
        return labels

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        raise NotImplementedError(
            f"{type(self).__name__} does not support 'bounding_boxes' inputs in kerastorch."
        )

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        """Masks follow the images' geometry, with nearest interpolation (Keras's default)."""
        if training:
            masks = convert_to_tensor(segmentation_masks)
            dtype = masks.dtype
            masks = self._transform_images(self._to_float(masks), transformation, "nearest")
            return masks if dtype.is_floating_point else masks.to(dtype)
        return segmentation_masks

    def _check_boxes(self, bounding_boxes: Any) -> dict[str, Any]:
        """Keras's check that boxes come with a format, and its densified boxes."""
        if not self.bounding_box_format:
            raise ValueError(
                "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                "bounding box format. Pass a `bounding_box_format` argument to your "
                f"{type(self).__name__} layer, e.g. `bounding_box_format='xyxy'`."
            )
        return densify_bounding_boxes(bounding_boxes, is_batched=True)

    def _refuse_bounding_boxes(self, data: Any, why: str) -> None:
        """For layers that cannot move boxes with their images: Keras's errors, in order."""
        if isinstance(data, dict) and "bounding_boxes" in data:
            self._check_boxes(data["bounding_boxes"])
            raise NotImplementedError(
                f"{type(self).__name__} does not support 'bounding_boxes' inputs: {why}."
            )

    def _batched(self, images: Any) -> tuple[torch.Tensor, bool]:
        images = convert_to_tensor(images)
        if images.ndim not in (3, 4):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects images of rank 3 (single "
                f"image) or 4 (batch of images). Received: inputs.shape={tuple(images.shape)}"
            )
        return (images.unsqueeze(0), True) if images.ndim == 3 else (images, False)

    def _batched_dict(self, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """`data` with tensors, batched, and its boxes checked and densified."""
        if "images" not in data:
            raise ValueError(
                f"{type(self).__name__}: a dict input must have an 'images' key. "
                f"Received keys: {sorted(data)}"
            )
        images, unbatched = self._batched(data["images"])
        out = {**data, "images": images}
        if "bounding_boxes" in data:
            boxes = data["bounding_boxes"]
            if unbatched and isinstance(boxes, dict):
                boxes = {
                    k: _add_batch(v) if k in ("boxes", "labels") else v for k, v in boxes.items()
                }
            out["bounding_boxes"] = self._check_boxes(boxes)
        for key in ("labels", "segmentation_masks"):
            if key in data:
                value = convert_to_tensor(data[key])
                out[key] = value.unsqueeze(0) if unbatched else value
        return out, unbatched

    # -- helpers for subclasses ------------------------------------------------------------
    @staticmethod
    def _is_training(training: Any) -> bool:
        """Keras's default for these layers is `training=True`: only a falsy value disables."""
        return True if training is None else bool(training)

    def _to_float(self, images: Any) -> torch.Tensor:
        images = torch.as_tensor(images)
        dtype = to_torch_dtype(self.compute_dtype)
        return images if images.dtype == dtype else images.to(dtype)

    def _to_nchw(self, images: torch.Tensor) -> tuple[torch.Tensor, bool]:
        """A batched NCHW view of `images` and whether a batch axis was added."""
        if images.ndim not in (3, 4):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects images of rank 3 (single "
                f"image) or 4 (batch of images). Received: inputs.shape={tuple(images.shape)}"
            )
        unbatched = images.ndim == 3
        if unbatched:
            images = images.unsqueeze(0)
        if self.data_format == "channels_last":
            images = images.permute(0, 3, 1, 2)  # a view: no copy
        return images, unbatched

    def _from_nchw(self, images: torch.Tensor, unbatched: bool) -> torch.Tensor:
        if self.data_format == "channels_last":
            images = images.permute(0, 2, 3, 1)
        return images.squeeze(0) if unbatched else images

    def _uniform(
        self, shape: tuple[int, ...], low: float, high: float, device: torch.device
    ) -> torch.Tensor:
        """Uniform samples in `[low, high)` (float32), drawn on `device`."""
        generator = self._generator(device)
        u = torch.rand(shape, generator=generator, device=device, dtype=torch.float32)
        return u * (high - low) + low

    def _generator(self, device: torch.device) -> torch.Generator | None:
        seed = getattr(self, "seed", None)
        if seed is None or device.type == "meta":
            return None
        if device not in self._generators:
            self._generators[device] = torch.Generator(device=device).manual_seed(int(seed))
        return self._generators[device]

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def _height_width(self, shape: Any) -> tuple[int, int]:
        """`(height, width)` of a batched or unbatched image shape in `data_format`."""
        if self.data_format == "channels_first":
            return int(shape[-2]), int(shape[-1])
        return int(shape[-3]), int(shape[-2])

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config


def _add_batch(value: Any) -> torch.Tensor:
    return convert_to_tensor(value).unsqueeze(0)


class PixelValueLayer(BaseImagePreprocessingLayer):
    """A layer that changes pixel values only (colour, blur, erasing, mixing augmented copies):
    a dict's bounding boxes and segmentation masks pass through unchanged, as in Keras (even
    where an erased patch covers a box)."""

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        return bounding_boxes

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        return segmentation_masks


def _unbatch_dict(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in ("images", "labels", "segmentation_masks"):
        if key in out:
            out[key] = out[key].squeeze(0)
    if "bounding_boxes" in out:
        boxes = dict(out["bounding_boxes"])
        for key in ("boxes", "labels"):
            boxes[key] = boxes[key].squeeze(0)
        out["bounding_boxes"] = boxes
    return out


def _images_only_call(call: Any) -> Any:
    """Wrap an images-only `call(inputs, ...)`: on a dict, boxes/labels/masks pass through."""
    base = BaseImagePreprocessingLayer

    @functools.wraps(call)
    def wrapped(self: Any, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(inputs, dict):
            return call(self, inputs, *args, **kwargs)
        data, unbatched = self._batched_dict(inputs)
        out = dict(data)
        out["images"] = call(self, data["images"], *args, **kwargs)
        for key in ("bounding_boxes", "segmentation_masks"):
            hook = getattr(type(self), f"transform_{key}")
            if key in data and hook is not getattr(base, f"transform_{key}"):
                out[key] = getattr(self, f"transform_{key}")(data[key], None, training=True)
        return _unbatch_dict(out) if unbatched else out

    return wrapped


def check_fill_and_interpolation(fill_mode: str, interpolation: str) -> None:
    """The geometric layers' checks (Keras raises NotImplementedError for these)."""
    if fill_mode not in SUPPORTED_FILL_MODES:
        raise NotImplementedError(
            f"Unknown `fill_mode` {fill_mode}. Expected of one {SUPPORTED_FILL_MODES}."
        )
    if interpolation not in SUPPORTED_INTERPOLATIONS:
        raise NotImplementedError(
            f"Unknown `interpolation` {interpolation}. Expected of one {SUPPORTED_INTERPOLATIONS}."
        )


def check_factor(factor: Any, name: str, error: str, allow_minus_one: bool) -> tuple[float, float]:
    """`(lower, upper)` of a zoom/translation factor: a number `f` is `(-f, f)`."""

    def check(value: float) -> None:
        if value > 1.0 or value < -1.0 or (value == -1.0 and not allow_minus_one):
            raise ValueError(error + f"Received: input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(error + f"Received: {name}={factor}")
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return -abs(factor), abs(factor)
    raise ValueError(error + f"Received: {name}={factor}")


# -------------------------------------------------------------------------------------------
# Geometry
# -------------------------------------------------------------------------------------------
def affine_matrix(
    angle: torch.Tensor,
    height: int,
    width: int,
    scale: torch.Tensor | None = None,
    translate: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> torch.Tensor:
    """Keras's `_compute_affine_matrix` about the image centre (no shear): `(batch, 8)`.

    `angle` is in degrees, one per image.
    """
    theta = angle * (math.pi / 180.0)
    scale = torch.ones_like(theta) if scale is None else scale
    tx, ty = translate if translate is not None else (0.0 * theta, 0.0 * theta)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    cos, sin = torch.cos(theta), torch.sin(theta)
    a0, a1 = scale * cos, scale * -sin
    b0, b1 = scale * sin, scale * cos
    a2 = tx + cx - cx * a0 - cy * a1
    b2 = ty + cy - cx * b0 - cy * b1
    zeros = torch.zeros_like(theta)
    return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)


def affine_transform(
    images: torch.Tensor,
    transform: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
) -> torch.Tensor:
    """Apply one affine transform per image (Keras's `ops.image.affine_transform`).

    Args:
        images: `(batch, channels, height, width)` floating tensor (any strides).
        transform: `(batch, 8)` Keras transforms (`c0`, `c1` must be 0).
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"` (Keras semantics).
        fill_value: value outside the image for `"constant"`.

    Returns:
        The transformed images, NCHW.
    """
    n, _, h, w = images.shape
    transform = transform.to(images.dtype)
    if fill_mode == "wrap":
        return _gather_transform(images, transform, interpolation)
    # Pixel-space matrix A (input = A @ [x, y, 1]) -> theta in affine_grid's normalized
    # coordinates (align_corners=False: pixel centres at (2i + 1) / size - 1).
    a0, a1, a2, b0, b1, b2 = transform[:, :6].unbind(1)
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    theta = torch.stack(
        [
            torch.stack([a0, a1 * (h / w), (a0 * cx + a1 * cy + a2 - cx) * (2.0 / w)], dim=1),
            torch.stack([b0 * (w / h), b1, (b0 * cx + b1 * cy + b2 - cy) * (2.0 / h)], dim=1),
        ],
        dim=1,
    )  # (batch, 2, 3)
    grid = F.affine_grid(theta, [n, 1, h, w], align_corners=False)
    mode = "nearest" if interpolation == "nearest" else "bilinear"
    padding = _GRID_PADDING[fill_mode]
    if fill_mode == "constant" and fill_value != 0:
        shifted = F.grid_sample(
            images - fill_value, grid, mode=mode, padding_mode="zeros", align_corners=False
        )
        return shifted + fill_value
    return F.grid_sample(images, grid, mode=mode, padding_mode=padding, align_corners=False)


def _gather_transform(images: torch.Tensor, transform: torch.Tensor, interpolation: str):
    """`"wrap"` fill: sample at wrapped integer indices (Keras's `index % size`)."""
    n, c, h, w = images.shape
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=images.dtype, device=images.device),
        torch.arange(w, dtype=images.dtype, device=images.device),
        indexing="ij",
    )
    t = transform[:, :, None, None]  # (batch, 8, 1, 1)
    src_x = t[:, 0] * xs + t[:, 1] * ys + t[:, 2]  # (batch, h, w)
    src_y = t[:, 3] * xs + t[:, 4] * ys + t[:, 5]
    flat = images.reshape(n, c, h * w)

    def gather(iy: torch.Tensor, ix: torch.Tensor) -> torch.Tensor:
        index = ((iy % h) * w + (ix % w)).reshape(n, 1, h * w).expand(n, c, h * w)
        return flat.gather(2, index).reshape(n, c, h, w)

    if interpolation == "nearest":
        return gather(torch.round(src_y).long(), torch.round(src_x).long())
    y0, x0 = torch.floor(src_y), torch.floor(src_x)
    wy, wx = (src_y - y0).unsqueeze(1), (src_x - x0).unsqueeze(1)
    y0, x0 = y0.long(), x0.long()
    top = gather(y0, x0) * (1 - wx) + gather(y0, x0 + 1) * wx
    bottom = gather(y0 + 1, x0) * (1 - wx) + gather(y0 + 1, x0 + 1) * wx
    return top * (1 - wy) + bottom * wy
