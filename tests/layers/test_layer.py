import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers import Dense, Input, Layer
from tests.oracle import assert_close, keras_or_skip


class Scale(Layer):
    def __init__(self, constraint=None, regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.constraint, self.regularizer = constraint, regularizer

    def build(self, input_shape):
        self.scale = self.add_weight(
            shape=(input_shape[-1],),
            initializer="ones",
            constraint=self.constraint,
            regularizer=self.regularizer,
            name="scale",
        )
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs):
        return inputs * self.scale


class Nested(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Dense(2)
        self.stack = [Dense(3), Dense(1)]
        self.seen = None

    def call(self, inputs, training=None):
        self.seen = training
        return self.stack[1](self.stack[0](self.inner(inputs)))


def test_layer_add_weight_registers_parameters_and_buffers():
    layer = Scale()
    layer(torch.ones(2, 3))
    assert layer.built
    assert [w.name for w in layer.weights] == ["scale", "count"]
    assert [w.path for w in layer.weights] == ["scale/scale", "scale/count"]
    assert [w.name for w in layer.trainable_weights] == ["scale"]
    assert [w.name for w in layer.non_trainable_weights] == ["count"]
    assert set(layer.state_dict()) == {"scale", "count"}
    assert [n for n, _ in layer.named_parameters()] == ["scale"]
    assert layer.count_params() == 4


def test_layer_auto_names_count_per_class_and_reset():
    assert [Dense(1).name, Dense(1).name, Scale().name] == ["dense", "dense_1", "scale"]
    kt.backend.clear_session()
    assert Dense(1).name == "dense"
    assert Dense(1, name="mine").name == "mine"


def test_layer_build_called_directly_marks_built_and_is_not_repeated():
    layer = Scale()
    layer.build((None, 3))
    assert layer.built
    first = layer.scale.tensor
    layer(torch.ones(2, 3))
    assert layer.scale.tensor is first


def test_layer_trainable_false_freezes_all_weights():
    layer = Nested()
    layer(torch.ones(2, 4))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 6
    assert not any(p.requires_grad for p in layer.parameters())
    layer.trainable = True
    assert len(layer.trainable_weights) == 6


def test_layer_tracks_sublayers_in_lists():
    layer = Nested()
    layer(torch.ones(2, 4))
    names = [layer.name for layer in layer._flatten_layers(include_self=False)]
    assert names == ["dense", "dense_1", "dense_2"]
    assert len(list(layer.parameters())) == 6


def test_layer_training_flag_reaches_nested_layers():
    layer = Nested()
    outer = kt.Sequential([Input((4,)), layer])
    outer(torch.ones(1, 4), training=True)
    assert layer.seen is True
    outer(torch.ones(1, 4))
    assert layer.seen is None


def test_layer_get_set_weights_round_trip_and_errors():
    layer = Scale(name="sc")
    layer.build((None, 3))
    layer.set_weights([np.array([1.0, 2.0, 3.0]), np.array(5.0)])
    assert_close(layer.get_weights()[0], np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"Layer 'sc' \(Scale\) expects 2 weights, but received 1"):
        layer.set_weights([np.ones(3)])
    with pytest.raises(ValueError, match=r"weight 'scale' has shape \(3,\).*shape \(4,\)"):
        layer.set_weights([np.ones(4), np.array(0.0)])


def test_layer_count_params_before_build_is_an_error():
    with pytest.raises(ValueError, match="isn't built"):
        Dense(3).count_params()


def test_layer_weight_regularizer_feeds_losses():
    layer = Scale(regularizer=kt.regularizers.L2(0.5))
    layer(torch.ones(1, 2))
    (penalty,) = layer.losses
    assert float(penalty.detach()) == pytest.approx(0.5 * 2.0)


def test_layer_constraint_applies_in_keras_layout():
    layer = Dense(2, kernel_constraint=kt.constraints.NonNeg())
    layer.build((None, 3))
    layer.kernel.assign(-np.ones((3, 2)))
    layer.kernel.apply_constraint()
    assert (layer.get_weights()[0] == 0).all()


def test_layer_numpy_inputs_are_converted():
    layer = Dense(2)
    out = layer(np.ones((3, 4)))
    assert isinstance(out, torch.Tensor)
    assert out.dtype == torch.float32


def test_layer_masks_propagate_through_tensors():
    class Masker(Layer):
        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, previous_mask=None):
            return inputs[..., 0] != 0

    class Reader(Layer):
        def call(self, inputs, mask=None):
            self.mask = mask
            return inputs

    reader = Reader()
    x = torch.tensor([[[1.0], [0.0]]])
    reader(Masker()(x))
    assert reader.mask.tolist() == [[True, False]]


def test_layer_numpy_view_of_variables_and_tensor_ops():
    layer = Scale()
    layer.build((None, 3))
    assert layer.scale.numpy().tolist() == [1.0, 1.0, 1.0]
    assert (torch.ones(3) * layer.scale).tolist() == [1.0, 1.0, 1.0]
    assert torch.matmul(torch.ones(1, 3), layer.scale).tolist() == [3.0]


def test_layer_call_error_names_layer_on_symbolic_inputs():
    class Broken(Layer):
        def call(self, inputs):
            return inputs @ torch.ones(5, 2, device=inputs.device)

    with pytest.raises(ValueError, match=r"Exception encountered when calling layer 'broken'"):
        Broken()(Input((3,)))


def test_layer_is_a_torch_module():
    layer = Dense(2)
    layer(torch.ones(1, 3))
    assert isinstance(layer, torch.nn.Module)
    exported = torch.export.export(layer, (torch.ones(1, 3),))
    assert_close(exported.module()(torch.ones(1, 3)), layer(torch.ones(1, 3)))


@pytest.mark.parity
def test_layer_add_weight_custom_layer_matches_keras():
    keras = keras_or_skip()

    class KScale(keras.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.scale

    class TScale(Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.scale

    x = np.random.default_rng(1).normal(size=(2, 3)).astype("float32")
    ref, ours = KScale(), TScale()
    ref(x)
    ours(torch.from_numpy(x))
    weights = [np.array([1.0, -2.0, 3.0], "float32")]
    ref.set_weights(weights)
    ours.set_weights(weights)
    assert_close(ours(torch.from_numpy(x)), ref(x))
    assert [w.name for w in ours.weights] == [w.name for w in ref.weights]
    assert ours.count_params() == ref.count_params()


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
@pytest.mark.parametrize("name", ["ReLU", "Dropout", "Softmax", "GlobalAveragePooling1D"])
def test_layer_overriding_build_of_stateless_layer_is_unbuilt_until_called(framework, name):
    K = keras_or_skip() if framework == "keras" else kt  # Keras's run_layer_test check
    base = getattr(K.layers, name)
    args = (0.5,) if name == "Dropout" else ()

    class ModifiedBuildLayer(base):
        def build(self, *args, **kwargs):
            pass

    assert base(*args).built
    layer = ModifiedBuildLayer(*args)
    assert not layer.built
    layer(np.ones((2, 3, 4), "float32"))
    assert layer.built


def test_layer_own_build_called_in_init_stays_built():
    class BuildsAtInit(kt.layers.ReLU):
        def __init__(self):
            super().__init__()
            self.build((None, 3))

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    layer = BuildsAtInit()
    assert layer.built
    assert [w.name for w in layer.weights] == ["w"]


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_layers_serialize_and_deserialize(framework):
    K = keras_or_skip() if framework == "keras" else kt
    config = K.layers.serialize(K.layers.Dense(3, activation="relu", name="d"))
    assert (config["module"], config["class_name"]) == ("keras.layers", "Dense")
    layer = K.layers.deserialize(config)
    assert (type(layer).__name__, layer.name, layer.units) == ("Dense", "d", 3)
    with pytest.raises(ValueError, match=r"not a `keras\.layers\.Layer`"):
        K.layers.deserialize(K.losses.serialize(K.losses.MeanSquaredError()))


def test_layers_deserialize_reads_keras_config():
    keras = keras_or_skip()
    layer = kt.layers.deserialize(keras.layers.serialize(keras.layers.Dense(4, use_bias=False)))
    assert isinstance(layer, kt.layers.Dense)
    assert (layer.units, layer.use_bias) == (4, False)


def test_layer_call_runs_forward_hooks_and_skips_them_when_none():
    layer = Dense(2)
    seen = []
    handle = layer.register_forward_hook(lambda module, args, out: seen.append(tuple(out.shape)))
    layer(torch.ones(3, 4))
    handle.remove()
    layer(torch.ones(3, 4))  # no hook left: the direct path
    assert seen == [(3, 2)]
    calls = []
    handle = torch.nn.modules.module.register_module_forward_pre_hook(
        lambda module, args: calls.append(type(module).__name__)
    )
    try:
        layer(torch.ones(1, 4))
    finally:
        handle.remove()
    assert "Dense" in calls
    with pytest.raises(ValueError, match="incompatible"):
        layer(torch.ones(1, 5))  # the input spec is still checked on the direct path


def test_direct_call_under_a_mixed_policy_computes_in_the_compute_dtype():
    from kerastorch import mixed_precision

    mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(3), kt.layers.Dense(2)])
    finally:
        mixed_precision.set_global_policy("float32")
    out = model(torch.ones(2, 4))  # outside torch.autocast: the model opens it, as Keras
    assert out.dtype == torch.bfloat16
    assert model.layers[0].kernel.dtype == "float32"
    with torch.autocast("cpu", dtype=torch.float16):  # an open autocast is kept
        assert model(torch.ones(2, 4)).dtype == torch.float16
    assert kt.layers.Dense(2)(torch.ones(2, 4)).dtype == torch.float32
