import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers import Dense, Input
from kerastorch.models import Model
from tests.oracle import assert_close, keras_or_skip


class TwoLayers(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = Dense(8, activation="relu")
        self.out = Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


class Blocks(Model):
    def __init__(self):
        super().__init__()
        self.blocks = [Dense(4), Dense(4), Dense(2)]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x


def test_subclassed_model_tracks_layers_and_weights():
    model = TwoLayers()
    assert model.name == "two_layers"
    y = model(torch.ones(3, 5))
    assert y.shape == (3, 1)
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.count_params() == 5 * 8 + 8 + 8 + 1
    assert len(model.trainable_weights) == 4
    assert len(list(model.parameters())) == 4


def test_subclassed_model_tracks_lists_of_layers():
    model = Blocks()
    model(torch.ones(2, 3))
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert len(list(model.parameters())) == 6


def test_subclassed_model_build_with_input_shape():
    model = TwoLayers()
    model.build((None, 5))
    assert model.built
    assert model.count_params() == 57
    assert model.hidden.built
    assert model.out.built


def test_subclassed_model_called_on_input_in_functional_model():
    inner = TwoLayers()
    x = Input((5,))
    outer = Model(x, inner(x))
    assert outer(torch.ones(2, 5)).shape == (2, 1)
    assert outer.count_params() == 57


def test_model_positional_arguments_are_an_error():
    with pytest.raises(TypeError, match="takes `inputs` and `outputs` together"):
        Model(42)


@pytest.mark.parity
def test_subclassed_model_matches_keras():
    keras = keras_or_skip()

    class KTwo(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    ref, ours = KTwo(), TwoLayers()
    ref(x)
    ours(torch.from_numpy(x))
    ours.set_weights(ref.get_weights())
    assert ours.count_params() == ref.count_params()
    assert_close(ours(torch.from_numpy(x)), ref(x))


def test_model_to_device_and_state_dict_keys():
    model = TwoLayers()
    model(torch.ones(1, 5))
    assert list(model.state_dict()) == [
        "hidden.linear.weight", "hidden.linear.bias", "out.linear.weight", "out.linear.bias",
    ]  # fmt: skip
    model.to(torch.float64)
    assert model.hidden.kernel.dtype == "float64"


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_model_from_config_builds_functional_model(framework):
    K = keras_or_skip() if framework == "keras" else kt
    x = K.Input((4,))
    model = K.Model(x, K.layers.Dense(3)(K.layers.Dense(5, activation="relu")(x)))
    revived = K.Model.from_config(model.get_config())
    assert type(revived).__name__ == "Functional"
    assert [type(layer).__name__ for layer in revived.layers] == ["InputLayer", "Dense", "Dense"]
    assert revived.count_params() == model.count_params()


def test_model_from_config_reads_keras_functional_config():
    keras = keras_or_skip()
    x = keras.Input((4,), name="x")
    ref = keras.Model(x, keras.layers.Dense(3, name="d")(x))
    ours = kt.Model.from_config(ref.get_config())
    ours.set_weights(ref.get_weights())
    data = np.ones((2, 4), "float32")
    assert_close(ours.predict(data, verbose=0), ref.predict(data, verbose=0))


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_model_subclass_forwarding_args_revives_from_config(framework):
    K = keras_or_skip() if framework == "keras" else kt  # Keras's model_test case

    class CustomModel(K.Model):
        def __init__(self, *args, param=1, **kwargs):
            super().__init__(*args, **kwargs)
            self.param = param

        def get_config(self):
            return super().get_config() | {"param": self.param}

    x = K.Input((3,))
    model = CustomModel(x, K.layers.Dense(5)(x), param=3)  # positional, forwarded
    assert isinstance(model, CustomModel)
    assert model.param == 3
    revived = CustomModel.from_config(model.get_config())
    assert isinstance(revived, CustomModel)
    assert revived.param == 3
    assert revived.count_params() == 20


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_model_layers_attribute_is_reserved(framework):
    K = keras_or_skip() if framework == "keras" else kt  # Keras's model/functional tests
    x = K.Input((3,))
    for model in (K.Model(), K.Model(x, K.layers.Dense(2)(x))):
        with pytest.raises(AttributeError, match=r"`Model\.layers` attribute is reserved"):
            model.layers = [K.layers.Dense(4)]
    with pytest.raises(AttributeError, match=r"`Sequential\.layers` attribute is reserved"):
        K.Sequential().layers = [K.layers.Dense(4)]
