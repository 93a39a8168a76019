"""BaseConv (through Conv2D): the data format defaults to `image_data_format()`."""

from kerastorch import config
from kerastorch.layers.conv.conv2d import Conv2D


def test_conv2d_data_format_defaults_to_image_data_format():
    assert Conv2D(2, 3).data_format == "channels_last"
    config.set_image_data_format("channels_first")
    try:
        assert Conv2D(2, 3).data_format == "channels_first"
    finally:
        config.set_image_data_format("channels_last")
