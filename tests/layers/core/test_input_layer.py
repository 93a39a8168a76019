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
