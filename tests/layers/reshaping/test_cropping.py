import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("cls", "kwargs", "input_shape", "output_shape"),
    [
        (Cropping1D, {}, (2, 5, 3), (2, 3, 3)),
        (Cropping1D, {"cropping": 2}, (2, 5, 3), (2, 1, 3)),
        (Cropping1D, {"cropping": (0, 3)}, (2, 5, 3), (2, 2, 3)),
        (Cropping2D, {}, (2, 4, 5, 3), (2, 4, 5, 3)),
        (Cropping2D, {"cropping": 1}, (2, 4, 5, 3), (2, 2, 3, 3)),
        (Cropping2D, {"cropping": (1, 0)}, (2, 4, 5, 3), (2, 2, 5, 3)),
        (Cropping2D, {"cropping": ((0, 2), (3, 0))}, (2, 4, 5, 3), (2, 2, 2, 3)),
        (Cropping2D, {"cropping": ((1, 0), 2), "data_format": "channels_first"}, (2, 3, 4, 5),
         (2, 3, 3, 1)),
        (Cropping3D, {}, (1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
        (Cropping3D, {"cropping": (0, 1, 2)}, (1, 3, 4, 5, 2), (1, 3, 2, 1, 2)),
        (Cropping3D, {"cropping": ((1, 0), (0, 2), 1), "data_format": "channels_first"},
         (1, 2, 3, 4, 5), (1, 2, 2, 2, 3)),
    ],
)  # fmt: skip
def test_cropping_matches_keras(cls, kwargs, input_shape, output_shape):
    keras_or_skip()
    check_layer(
        cls,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


def test_cropping_returns_a_view_of_the_input():
    x = torch.randn(2, 6, 7, 3)
    out = Cropping2D(((1, 2), (3, 0)))(x)
    assert out.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
    assert torch.equal(out, x[:, 1:4, 3:, :])


def test_cropping_3d_channels_first_slices_the_last_three_axes():
    x = torch.randn(1, 2, 4, 5, 6)
    out = Cropping3D(((1, 1), (0, 2), (3, 1)), data_format="channels_first")(x)
    assert torch.equal(out, x[:, :, 1:3, 0:3, 3:5])


def test_cropping_symbolic_keeps_unknown_dims():
    assert Cropping2D(((1, 1), (2, 0)))(Input((None, 6, 3))).shape == (None, None, 4, 3)
    assert Cropping1D((1, 2))(Input((None, 3))).shape == (None, None, 3)


def test_cropping_1d_has_no_data_format_like_keras():
    config = Cropping1D(2).get_config()
    assert config["cropping"] == (2, 2)
    assert "data_format" not in config


@pytest.mark.parametrize(
    ("layer", "shape"),
    [(Cropping1D((2, 3)), (1, 5, 2)), (Cropping2D(((0, 0), (2, 2))), (1, 3, 4, 2))],
)
def test_cropping_larger_than_the_input_raises(layer, shape):
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial"):
        layer(torch.zeros(shape))
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial"):
        layer(Input(shape[1:]))


@pytest.mark.parametrize(
    ("cls", "cropping", "match"),
    [
        (Cropping1D, (1, 2, 3), "The `cropping` argument must be a tuple of 2 integers"),
        (Cropping2D, -1, "`cropping` cannot be negative"),
        (Cropping2D, (1, 2, 3), "`cropping` should have 2 elements"),
        (Cropping3D, ((1, 1), (1, -1), 0), "The `2nd entry of cropping` argument"),
        (Cropping3D, (1, 2), "`cropping` should have 3 elements"),
        (Cropping3D, "abc", "should be either an int, a tuple of 3 ints"),
    ],
)
def test_cropping_rejects_bad_cropping(cls, cropping, match):
    with pytest.raises(ValueError, match=match):
        cls(cropping)
