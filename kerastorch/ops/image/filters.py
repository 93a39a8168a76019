"""Convolution filters on images: Gaussian blur, Sobel edges and the SSIM index.

Example:
    >>> import torch
    >>> gaussian_blur(torch.ones(1, 5, 5, 2)).shape
    torch.Size([1, 5, 5, 2])
    >>> sobel_edges(torch.ones(1, 4, 4, 1)).shape
    torch.Size([1, 4, 4, 1, 2])
    >>> round(float(ssim(torch.ones(16, 16, 1), torch.ones(16, 16, 1))), 4)
    1.0
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.validation import check_rank
from kerastorch.ops.keras_op import keras_op


def gaussian_kernel_1d(
    size: int, sigma: Any, dtype: torch.dtype, device: torch.device
) -> torch.Tensor:
    """A normalized 1D Gaussian window of `size` taps centred on the middle."""
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _to_channels_first(images: torch.Tensor, data_format: str) -> tuple[torch.Tensor, bool]:
    """(N, C, H, W) view of one image or a batch, and whether a batch axis was added."""
    unbatched = images.ndim == 3
    if unbatched:
        images = images.unsqueeze(0)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    return images, unbatched


def _from_channels_first(images: torch.Tensor, data_format: str, unbatched: bool) -> torch.Tensor:
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    return images.squeeze(0) if unbatched else images


@keras_op("image")
def gaussian_blur(
    images: Any,
    kernel_size: tuple[int, int] = (3, 3),
    sigma: tuple[float, float] = (1.0, 1.0),
    data_format: str | None = None,
) -> torch.Tensor:
    """Blur images with a Gaussian kernel, channel by channel, zero-padded by half its size.

    As in Keras, `kernel_size[0]`/`sigma[0]` shape the kernel along the width and
    `kernel_size[1]`/`sigma[1]` along the height.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        kernel_size: the kernel's two sizes.
        sigma: the Gaussian's two standard deviations (floats or scalar tensors).
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The blurred images, in the input dtype (of the input's size for odd kernel sizes).

    Example:
        >>> import torch
        >>> gaussian_blur(torch.ones(3, 3, 1), sigma=(1.0, 1.0))[1, 1].item() > 0.99
        True
    """
    images = convert_to_tensor(images)
    check_rank("gaussian_blur", images)
    data_format = config.standardize_data_format(data_format)
    images, unbatched = _to_channels_first(images, data_format)
    width, height = int(kernel_size[0]), int(kernel_size[1])
    dtype, device = images.dtype, images.device
    kernel = torch.outer(
        gaussian_kernel_1d(height, sigma[1], dtype, device),
        gaussian_kernel_1d(width, sigma[0], dtype, device),
    )
    channels = images.shape[1]
    kernel = kernel.expand(channels, 1, height, width)
    blurred = F.conv2d(images, kernel, padding=(height // 2, width // 2), groups=channels)
    return _from_channels_first(blurred, data_format, unbatched)


@keras_op("image")
def sobel_edges(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Sobel gradients `[dy, dx]` of a batch of images (3x3 kernels, zero padding).

    Args:
        images: a batch of images (rank 4).
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        `(batch, height, width, channels, 2)` for channels-last inputs,
        `(batch, channels, height, width, 2)` for channels-first ones.

    Example:
        >>> import torch
        >>> image = torch.zeros(1, 4, 4, 1)
        >>> image[0, :, 2:, 0] = 1.0
        >>> sobel_edges(image)[0, 1, :, 0, 1].tolist()  # dx along a row
        [0.0, 4.0, 4.0, -4.0]
    """
    images = convert_to_tensor(images)
    if images.ndim != 4:
        raise ValueError(
            "sobel_edges: Invalid images rank: expected rank 4 (batch of images). "
            f"Received: images.shape={list(images.shape)}"
        )
    data_format = config.standardize_data_format(data_format)
    nchw = images.permute(0, 3, 1, 2) if data_format == "channels_last" else images
    channels = nchw.shape[1]
    sobel_x = torch.tensor(
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=images.dtype, device=images.device
    )
    kernels = torch.stack((sobel_x.T, sobel_x)).unsqueeze(1)  # (2: dy, dx; 1; 3; 3)
    kernels = kernels.repeat(channels, 1, 1, 1)  # channel-major: c0-dy, c0-dx, c1-dy, ...
    edges = F.conv2d(nchw, kernels, padding=1, groups=channels)
    edges = edges.unflatten(1, (channels, 2)).permute(0, 1, 3, 4, 2)  # (N, C, H, W, 2)
    if data_format == "channels_last":
        edges = edges.permute(0, 2, 3, 1, 4)
    return edges


@keras_op("image", tensors=("image1", "image2"), class_name="SSIM")
def ssim(
    image1: Any,
    image2: Any,
    max_val: float = 1.0,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    data_format: str | None = None,
) -> torch.Tensor:
    """The Structural Similarity Index between two images, averaged over pixels and channels.

    A Gaussian window of `filter_size` (valid padding) gives the local means, variances and
    covariance (Wang et al., 2004).

    Args:
        image1: one image (rank 3) or a batch (rank 4).
        image2: images of the same shape.
        max_val: the dynamic range of the pixel values (`1.0`, or `255.0` for bytes).
        filter_size: the Gaussian window's size.
        filter_sigma: the Gaussian window's standard deviation.
        k1: the first stabilization constant.
        k2: the second stabilization constant.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        One SSIM value per image pair (a scalar for unbatched images), in `image1`'s dtype.

    Example:
        >>> import torch
        >>> ssim(torch.rand(2, 16, 16, 3), torch.rand(2, 16, 16, 3)).shape
        torch.Size([2])
    """
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    check_rank("ssim", image1, "image1")
    check_rank("ssim", image2, "image2")
    data_format = config.standardize_data_format(data_format)
    original = image1.dtype
    compute = to_torch_dtype(result_type(standardize_dtype(original), float))
    x, unbatched = _to_channels_first(image1.to(compute), data_format)
    y, _ = _to_channels_first(image2.to(compute), data_format)
    batch, channels = x.shape[:2]
    x, y = x.flatten(0, 1).unsqueeze(1), y.flatten(0, 1).unsqueeze(1)  # (B*C, 1, H, W)
    window = gaussian_kernel_1d(filter_size, filter_sigma, compute, x.device)
    kernel = torch.outer(window, window).view(1, 1, filter_size, filter_size)
    mu1, mu2 = F.conv2d(x, kernel), F.conv2d(y, kernel)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = F.conv2d(x * x, kernel) - mu1_sq
    sigma2_sq = F.conv2d(y * y, kernel) - mu2_sq
    sigma12 = F.conv2d(x * y, kernel) - mu1_mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    numerator = (2.0 * mu1_mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2)
    values = (numerator / denominator).mean(dim=(1, 2, 3)).view(batch, channels).mean(dim=-1)
    if unbatched:
        values = values.squeeze(0)
    return values.to(original)


__all__ = ["gaussian_blur", "sobel_edges", "ssim"]
