import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers import Dense, Input
from kerastorch.models import Model, Sequential
from tests.oracle import assert_close, keras_or_skip


def test_sequential_with_input_first_is_built():
    model = Sequential([Input((784,)), Dense(256), Dense(128), Dense(10)])
    assert model.built
    assert model.output_shape == (None, 10)
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert model.count_params() == 235_146
    assert [x.shape for x in model.inputs] == [(None, 784)]


def test_sequential_input_shape_on_first_layer_tf_keras_style():
    model = Sequential([Dense(3, input_shape=(4,)), Dense(2)])
    assert model.built
    assert model.input_shape == (None, 4)


def test_sequential_builds_on_first_data_when_no_shape():
    model = Sequential([Dense(3), Dense(2)])
    assert not model.built
    assert model.weights == []
    out = model(np.ones((5, 7), "float32"))
    assert out.shape == (5, 2)
    assert model.built
    assert model.input_shape == (5, 7)  # Keras keeps the batch size it was built with
    assert model.count_params() == 32


def test_sequential_add_and_pop():
    model = Sequential()
    model.add(Input((4,)))
    model.add(Dense(3))
    model.add(Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert popped.name == "dense_1"
    assert model.output_shape == (None, 3)
    assert "dense_1.linear.weight" not in model.state_dict()
    with pytest.raises(TypeError, match="no layers"):
        Sequential().pop()


def test_sequential_rejects_non_layers_and_duplicate_names():
    with pytest.raises(ValueError, match=r"Only instances of `keras\.Layer`"):
        Sequential([torch.nn.Linear(2, 2)])
    with pytest.raises(ValueError, match='Name "d" is already the name of a layer'):
        Sequential([Dense(2, name="d"), Dense(2, name="d")])


def test_sequential_second_input_is_an_error():
    model = Sequential([Input((4,)), Dense(2)])
    with pytest.raises(ValueError, match="already been configured"):
        model.add(Input((3,)))


def test_sequential_wrong_input_shape_names_layer():
    model = Sequential([Input((4,)), Dense(3, name="first")])
    with pytest.raises(ValueError, match=r"Layer 'first' \(Dense\).*value 4.*\(2, 5\)"):
        model(torch.ones(2, 5))


def test_sequential_inside_functional_model():
    seq = Sequential([Dense(3), Dense(2)])
    x = Input((4,))
    model = Model(x, seq(x))
    assert seq.built
    assert model(torch.ones(1, 4)).shape == (1, 2)


def test_sequential_state_dict_round_trip():
    a = Sequential([Input((4,)), Dense(3), Dense(1)])
    b = Sequential([Input((4,)), Dense(3, name="dense"), Dense(1, name="dense_1")])
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 4)
    assert_close(b(x), a(x))


@pytest.mark.parity
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "softmax"])
def test_sequential_tutorial_mlp_matches_keras(activation):
    keras = keras_or_skip()

    def build(K):
        return K.Sequential([
            K.Input((784,)),
            K.layers.Dense(256, activation=activation),
            K.layers.Dense(128, activation="relu"),
            K.layers.Dense(10, activation="softmax"),
        ])  # fmt: skip

    ref, ours = build(keras), build(kt)
    assert [layer.count_params() for layer in ours.layers] == [200_960, 32_896, 1_290]
    assert ours.count_params() == ref.count_params() == 235_146
    ours.set_weights(ref.get_weights())
    x = np.random.default_rng(0).random((4, 784)).astype("float32")
    assert_close(ours(torch.from_numpy(x)), ref(x))


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_sequential_built_on_data_keeps_the_batch_size(framework):
    K = keras_or_skip() if framework == "keras" else kt
    model = K.Sequential([K.layers.Dense(2)])
    model(np.zeros((3, 4), "float32"))
    assert model.output_shape == (3, 2)
    assert model.input_shape == (3, 4)
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    assert "(3, 2)" in "\n".join(lines)
    assert tuple(model(np.zeros((5, 4), "float32")).shape) == (5, 2)  # any batch still runs
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((10, 4), "float32"), np.zeros((10, 2), "float32"), batch_size=4, verbose=0)
    assert model.predict(np.zeros((7, 4), "float32"), verbose=0).shape == (7, 2)


def test_sequential_built_on_data_exports_with_a_free_batch_size(tmp_path):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    model = Sequential([Dense(2)])
    model(np.zeros((3, 4), "float32"))  # its input records batch 3; Keras exports batch None
    model.export(tmp_path / "m.onnx", format="onnx")
    (graph_input,) = onnx.load(str(tmp_path / "m.onnx")).graph.input
    batch, features = graph_input.type.tensor_type.shape.dim
    assert batch.dim_param  # a symbolic size, not 3
    assert features.dim_value == 4
