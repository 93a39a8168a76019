"""`RandomGaussianBlur`: blurs images with a Gaussian kernel of random width, in training.

Example:
    >>> import torch
    >>> layer = RandomGaussianBlur(factor=(1.0, 1.0), sigma=(0.5, 0.5), value_range=(0, 1))
    >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.preprocessing._augmentation import (
    apply_mask,
    check_unit_pair,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    PixelValueLayer,
)
from kerastorch.ops.image.filters import gaussian_blur


def _kernel_size(value: Any) -> tuple[int, int]:
    """Keras's `_set_kernel_size`: an odd number `k` is `(k, k)`; a pair of odd numbers."""
    error = f"kernel_size must be an odd number. Received: kernel_size={value}"
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                "The `kernel_size` argument should be a number (or a list of two numbers) "
                f"Received: kernel_size={value}"
            )
        if value[0] % 2 == 0 or value[1] % 2 == 0:
            raise ValueError(error)
        return value[0], value[1]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value % 2 == 0:
            raise ValueError(error)
        return value, value
    raise ValueError(error)


class RandomGaussianBlur(PixelValueLayer):
    """Gaussian blur of random strength (training only), clipped to `value_range`.

    Each image is blurred with a probability drawn in `factor`. The kernel's standard
    deviations along the width and the height are drawn in `sigma` (plus `1e-6`), once per
    call for the whole batch, as in Keras; the blur is one depthwise `conv2d` (zero padding).

    Args:
        factor: the blur probability: a float `f` in `[0, 1]` (drawn in `[0, f]`) or a pair;
            default 1.
        kernel_size: an odd int, or a pair of odd ints `(width, height)` (default 3).
        sigma: a float `s` in `[0, 1]` (drawn in `[0, s]`) or a pair (default 1).
        value_range: `(min, max)` of the image values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the blurs reproducible.
        bounding_box_format: the format of a dict input's `"bounding_boxes"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or Keras's dict with `"images"`; its labels,
            bounding boxes (which need `bounding_box_format`, Keras's `ValueError`
            otherwise) and segmentation masks pass through unchanged, as in Keras.
        training: only `training=False` disables the augmentation.

    Example:
        >>> import torch
        >>> RandomGaussianBlur(seed=1)(torch.rand(8, 8, 3), training=False).shape
        torch.Size([8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        kernel_size: int | tuple[int, int] = 3,
        sigma: float | tuple[float, float] = 1.0,
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_unit_pair(factor, "factor")
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = check_unit_pair(sigma, "sigma")
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """Keras's keys: `should_apply_blur` `(batch,)` and `blur_factor` (the 2 sigmas)."""
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        n, device = images.shape[0], images.device
        apply = apply_mask(self, self.factor, n, device)
        sigma = self._uniform((2,), self.sigma[0], self.sigma[1], device) + 1e-6
        return {
            "should_apply_blur": apply,
            "blur_factor": sigma.to(to_torch_dtype(self.compute_dtype)),
        }

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        images = self._to_float(images)
        if not training or transformation is None:
            return images
        x, _ = self._to_nchw(images)
        sigma = transformation["blur_factor"].to(x.dtype)
        blurred = gaussian_blur(x, self.kernel_size, sigma.unbind(), "channels_first")
        apply = transformation["should_apply_blur"].view(-1, 1, 1, 1)
        x = torch.where(apply, blurred, x).clamp(self.value_range[0], self.value_range[1])
        return self._from_nchw(x, False)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
            "value_range": self.value_range,
            "seed": self.seed,
        }
