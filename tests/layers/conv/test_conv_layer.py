"""Every convolution layer checks its input's rank first, naming itself (`conv_layer.py`)."""

import numpy as np
import pytest

import kerastorch
from tests.oracle import keras_or_skip

L = kerastorch.layers
CONVOLUTIONS = [
    (L.Conv1D, (2, 3), 1), (L.Conv2D, (2, 3), 2), (L.Conv3D, (2, 3), 3),
    (L.Conv1DTranspose, (2, 3), 1), (L.Conv2DTranspose, (2, 3), 2),
    (L.Conv3DTranspose, (2, 3), 3), (L.SeparableConv1D, (2, 3), 1),
    (L.SeparableConv2D, (2, 3), 2), (L.DepthwiseConv1D, (3,), 1),
    (L.DepthwiseConv2D, (3,), 2),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "args", "rank"), CONVOLUTIONS)
@pytest.mark.parametrize("extra", [-1, 1])
@pytest.mark.parametrize("symbolic", [True, False])
def test_conv_layer_wrong_rank_is_an_input_spec_error_naming_the_layer(
    cls, args, rank, extra, symbolic
):
    ndim = rank + 2 + extra
    shape = (8,) * (ndim - 1)
    x = kerastorch.Input(shape) if symbolic else np.zeros((1, *shape), "float32")
    with pytest.raises(
        ValueError, match=rf"Layer 'c' \({cls.__name__}\).*expected ndim={rank + 2}, found ndim="
    ):
        cls(*args, name="c")(x)


def test_conv_layer_wrong_rank_message_matches_keras_wording():
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=r"conv2d.*found ndim=3"):
        keras.layers.Conv2D(2, 3, name="conv2d")(keras.Input((8, 8)))
    with pytest.raises(ValueError, match=r"Layer 'conv2d'.*found ndim=3"):
        L.Conv2D(2, 3, name="conv2d")(kerastorch.Input((8, 8)))
