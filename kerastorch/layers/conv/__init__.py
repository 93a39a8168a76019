"""Convolution layers: `Conv1D`/`2D`/`3D`, their transposes, depthwise and separable ones."""

from kerastorch.layers.conv.conv1d import Conv1D, Convolution1D
from kerastorch.layers.conv.conv2d import Conv2D, Convolution2D
from kerastorch.layers.conv.conv3d import Conv3D, Convolution3D
from kerastorch.layers.conv.conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
)
from kerastorch.layers.conv.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from kerastorch.layers.conv.separable_conv import (
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)

__all__ = [
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
]
