import pytest
import torch

import kerastorch as kt
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers import Input, InputLayer
from tests.oracle import keras_or_skip


def test_input_returns_keras_tensor_with_none_batch():
    x = Input((28, 28), name="pixels")
    assert isinstance(x, KerasTensor)
    assert x.shape == (None, 28, 28)
    assert x.dtype == "float32"
    assert x._keras_history.layer.name == "pixels"


def test_input_batch_size_and_batch_shape():
    assert Input((3,), batch_size=8).shape == (8, 3)
    assert Input(batch_shape=(None, 5, None)).shape == (None, 5, None)
    assert Input(4).shape == (None, 4)


def test_input_requires_a_shape():
    with pytest.raises(ValueError, match="You must pass a `shape` argument"):
        Input()
    with pytest.raises(ValueError, match="both `shape` and `batch_shape`"):
        Input((3,), batch_shape=(None, 3))


def test_input_layer_auto_names():
    assert Input((1,))._keras_history.layer.name == "input_layer"
    assert Input((1,))._keras_history.layer.name == "input_layer_1"
    kt.backend.clear_session()
    assert Input((1,))._keras_history.layer.name == "input_layer"


def test_input_layer_passes_data_through():
    layer = InputLayer(shape=(3,))
    x = torch.ones(2, 3)
    assert layer(x) is x


@pytest.mark.parity
def test_input_layer_config_matches_keras():
    keras = keras_or_skip()
    ref = keras.Input((4, 2), name="inp", dtype="int32")._keras_history[0].get_config()
    ours = Input((4, 2), name="inp", dtype="int32")._keras_history.layer.get_config()
    assert ours == ref
    rebuilt = InputLayer.from_config(ours)
    assert rebuilt.batch_shape == (None, 4, 2)
    assert rebuilt.dtype == "int32"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"shape": (-1, 4)}, r"`shape` .* the dimension -1 is not positive"),
        ({"shape": (0, 4)}, r"`shape` .* the dimension 0 is not positive"),
        ({"shape": (4.5,)}, r"`shape` .* the dimension 4.5 is not an integer"),
        ({"shape": (4,), "batch_size": -1}, r"`batch_size` .* -1 is not positive"),
        ({"batch_shape": (None, -3)}, r"`batch_shape` .* -3 is not positive"),
    ],
)
def test_input_refuses_negative_zero_and_fractional_dimensions(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Input(**kwargs)
    with pytest.raises(ValueError, match=match):
        InputLayer(**kwargs)


def test_input_negative_dimension_is_refused_like_keras():
    keras = keras_or_skip()
    with pytest.raises(ValueError, match="Negative dimensions"):
        keras.Input(shape=(-1, 4))
    assert Input(shape=(None, 4)).shape == (None, None, 4)
