import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers import Dense, Input
from kerastorch.models import Functional, Model, Sequential
from tests.oracle import assert_close, keras_or_skip


def _branching(K):
    a = K.Input((4,), name="a")
    b = K.Input((3,), name="b")
    shared = K.layers.Dense(5, activation="relu", name="shared")
    ha = shared(K.layers.Dense(4, name="pa")(a))
    hb = shared(K.layers.Dense(4, name="pb")(b))
    merged = K.layers.Dense(6, name="mix")(ha + hb)
    out1 = K.layers.Dense(1, name="out1")(merged)
    out2 = K.layers.Dense(2, activation="softmax", name="out2")(merged[:, :3])
    return K.Model([a, b], [out1, out2])


def test_functional_model_from_inputs_and_outputs():
    model = _branching(kt)
    assert isinstance(model, Functional)
    assert isinstance(model, Model)
    assert [x.shape for x in model.inputs] == [(None, 4), (None, 3)]
    assert [x.shape for x in model.outputs] == [(None, 1), (None, 2)]
    out1, out2 = model([torch.ones(2, 4), torch.ones(2, 3)])
    assert out1.shape == (2, 1)
    assert out2.shape == (2, 2)


@pytest.mark.parity
def test_functional_layers_order_outputs_and_params_match_keras():
    keras = keras_or_skip()
    ref, ours = _branching(keras), _branching(kt)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in ref.layers]
    assert ours.count_params() == ref.count_params()
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in ref.get_weights()]
    ours.set_weights(ref.get_weights())
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 3)).astype("float32")
    expected = ref([xa, xb])
    actual = ours([torch.from_numpy(xa), torch.from_numpy(xb)])
    assert_close(list(actual), list(expected))
    assert_close(ours.predict([xa, xb], verbose=0), [np.asarray(e.detach()) for e in expected])


def test_functional_shared_layer_has_two_nodes_and_one_module():
    model = _branching(kt)
    shared = model.get_layer("shared")
    assert len(shared._inbound_nodes) == 2
    keys = [k for k in model.state_dict() if k.startswith("shared.")]
    assert keys == ["shared.linear.weight", "shared.linear.bias"]


def test_functional_dict_inputs_and_outputs():
    x = Input((3,), name="x")
    y = Input((2,), name="y")
    h = kt.layers.concatenate([x, y])
    model = Model({"x": x, "y": y}, {"sum": Dense(1)(h), "proj": Dense(4)(h)})
    out = model({"x": torch.ones(2, 3), "y": torch.ones(2, 2)})
    assert set(out) == {"sum", "proj"}
    assert out["proj"].shape == (2, 4)
    with pytest.raises(ValueError, match=r"missing: \['y'\]"):
        model({"x": torch.ones(2, 3)})


def test_functional_list_model_accepts_dict_by_input_name():
    model = _branching(kt)
    out1, _ = model({"a": torch.ones(1, 4), "b": torch.ones(1, 3)})
    assert out1.shape == (1, 1)


def test_functional_model_as_layer_in_another_model():
    inner_in = Input((4,))
    inner = Model(inner_in, Dense(3, name="inner_dense")(inner_in), name="inner")
    x = Input((4,))
    outer = Model(x, Dense(1)(inner(x)))
    assert [layer.name for layer in outer.layers][1:] == ["inner", "dense"]
    assert outer.count_params() == 15 + 4
    assert outer(torch.ones(2, 4)).shape == (2, 1)
    assert "inner.inner_dense.linear.weight" in outer.state_dict()


def test_functional_sequential_inside_functional():
    seq = Sequential([Input((4,)), Dense(3), Dense(2)])
    x = Input((4,))
    model = Model(x, seq(x))
    assert model(torch.ones(5, 4)).shape == (5, 2)
    assert model.count_params() == seq.count_params()


def test_functional_get_layer_by_name_and_index():
    model = _branching(kt)
    assert model.get_layer("mix").name == "mix"
    assert model.get_layer(index=0).name == "a"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has"):
        model.get_layer(index=99)


def test_functional_wrong_input_shape_names_model_and_shapes():
    x = Input((4,), name="features")
    model = Model(x, Dense(2)(x), name="clf")
    with pytest.raises(
        ValueError,
        match=r"'features'.*'clf'.*expected shape=\(None, 4\), found "
        r"shape=\(2, 5\)",
    ):
        model(torch.ones(2, 5))


def test_functional_disconnected_graph_is_an_error():
    a, b = Input((4,), name="a"), Input((4,), name="b")
    out = kt.layers.Add()([Dense(4)(a), b])
    with pytest.raises(ValueError, match=r"Graph disconnected: .*input 'b'.*not in Model"):
        Model(a, out)


def test_functional_duplicate_layer_names_are_an_error():
    x = Input((4,))
    y = Dense(2, name="same")(Dense(4, name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times in the model'):
        Model(x, y)


def test_functional_outputs_must_be_keras_tensors():
    x = Input((4,))
    with pytest.raises(ValueError, match="must be KerasTensors"):
        Model(x, torch.ones(2))


def test_functional_ops_are_recorded_but_not_layers():
    x = Input((4,))
    y = (x * 2 + 1)[:, :2]
    model = Model(x, y)
    assert [type(op).__name__ for op in model.operations][1:] == ["Multiply", "Add", "GetItem"]
    assert [layer.name for layer in model.layers] == [model.layers[0].name]
    assert_close(model(torch.ones(1, 4)), np.full((1, 2), 3.0))


def test_functional_is_exportable_and_compilable():
    model = _branching(kt)
    inputs = (torch.ones(2, 4), torch.ones(2, 3))
    exported = torch.export.export(model, (list(inputs),))
    assert_close(list(exported.module()(list(inputs))), list(model(list(inputs))))


def test_functional_call_honours_its_training_argument():
    x = Input((1000,))
    model = Model(x, kt.layers.Dropout(0.5)(x))
    ones = torch.ones(2, 1000)
    assert torch.equal(model.call(ones), ones)  # inference by default
    dropped = model.call(ones, training=True)
    assert (dropped == 0).any()
    assert (dropped == 2).any()


def test_functional_call_mask_argument_reaches_the_layers():
    x = Input((3, 2))
    model = Model(x, kt.layers.GlobalAveragePooling1D()(x))
    values = torch.tensor([[[1.0, 1.0], [3.0, 3.0], [100.0, 100.0]]])
    mask = torch.tensor([[True, True, False]])
    assert_close(model.call(values, mask=mask), np.array([[2.0, 2.0]]))
    assert_close(model.call(values), np.full((1, 2), 104 / 3))


def test_models_expose_one_structure_interface():
    x = Input((4,), name="x")
    y = (Dense(2, name="d")(x) + 1)[:, :1]
    functional = Model(x, y)
    assert functional.inputs == [x]
    assert functional.outputs == [y]
    assert functional.output_names == ["get_item"]
    assert [type(op).__name__ for op in functional.operations] == [
        "InputLayer", "Dense", "Add", "GetItem"
    ]  # fmt: skip
    assert [layer.name for layer in functional.layers] == ["x", "d"]

    unbuilt = Sequential([Dense(2)])
    assert unbuilt.inputs is None
    assert unbuilt.outputs is None
    assert unbuilt.output_names == []
    assert unbuilt.operations == unbuilt.layers
    unbuilt.build((None, 3))
    assert [t.shape for t in unbuilt.outputs] == [(None, 2)]

    class Subclassed(Model):
        def __init__(self):
            super().__init__()
            self.dense = Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    subclassed = Subclassed()
    assert subclassed.inputs is None
    assert subclassed.operations is None
    assert subclassed.output_names == []
    assert len(subclassed.layers) == 1


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_functional_single_output_list_returns_an_array(framework):
    K = keras_or_skip() if framework == "keras" else kt
    x = K.Input((3,))
    model = K.Model(inputs=[x], outputs=[K.layers.Dense(2)(x)])
    data = np.zeros((4, 3), "float32")
    assert isinstance(model.predict([data], verbose=0), np.ndarray)
    assert tuple(model([data]).shape) == (4, 2)  # the tensor, not a one-element list
    assert model.output_shape == (None, 2)
    assert model.input_shape == (None, 3)
    symbolic = model([K.Input((3,))])  # symbolic calls keep the list, as in Keras
    assert isinstance(symbolic, list)
    assert len(symbolic) == 1
    model.compile(optimizer="sgd", loss="mse")
    model.fit([data], np.zeros((4, 2), "float32"), verbose=0)
