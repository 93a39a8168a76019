"""TFSMLayer, JaxLayer, FlaxLayer: constructing one raises a clear error, as Keras on torch."""

import pytest

from kerastorch.layers.core.unavailable_layers import FlaxLayer, JaxLayer, TFSMLayer
from kerastorch.layers.layer import Layer
from tests.oracle import keras_or_skip

CASES = [
    (TFSMLayer, ("saved_model_dir",), NotImplementedError, "TensorFlow SavedModel"),
    (JaxLayer, (lambda params, inputs: inputs,), ValueError, "JAX function"),
    (FlaxLayer, (object(),), ValueError, "Flax module"),
]


@pytest.mark.parametrize(
    ("cls", "args", "error", "why"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_unavailable_layer_raises_a_clear_error(cls, args, error, why):
    assert issubclass(cls, Layer)
    with pytest.raises(error, match=why) as info:
        cls(*args)
    message = str(info.value)
    assert "kerastorch runs on PyTorch only" in message
    assert "TorchModuleWrapper" in message
    assert "export" in message


@pytest.mark.parity
@pytest.mark.parametrize(("cls", "args", "error", "why"), CASES[:2], ids=["TFSMLayer", "JaxLayer"])
def test_unavailable_layer_error_starts_like_keras_on_torch(cls, args, error, why):
    keras = keras_or_skip()
    with pytest.raises(error) as theirs:
        getattr(keras.layers, cls.__name__)(*args)
    with pytest.raises(error) as ours:
        cls(*args)
    assert str(ours.value).splitlines()[0] == str(theirs.value).splitlines()[0]
