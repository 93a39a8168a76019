"""BatchNormalization: Keras parity over training steps, frozen layers, masks, renorm, views."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.normalization import BatchNormalization
from kerastorch.models import Model, Sequential
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip, to_numpy

CASES = [
    ({}, (4, 3, 3, 5)),  # channels_last image
    ({"axis": 1}, (4, 5, 3, 3)),  # channels_first image
    ({}, (6, 4)),
    ({"momentum": 0.9, "epsilon": 1e-5}, (3, 4, 5)),  # sequence, features last
    ({"axis": 1}, (3, 4, 5)),
    ({"center": False}, (5, 3)),
    ({"scale": False, "beta_initializer": "ones"}, (5, 3)),
    ({"gamma_regularizer": "l2", "beta_constraint": "non_neg"}, (2, 2, 2, 2, 3)),
    ({"moving_mean_initializer": "ones", "moving_variance_initializer": "zeros"}, (5, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize(("kwargs", "shape"), CASES)
def test_batch_normalization_matches_keras(kwargs, shape, training):
    trainable = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    check_layer(
        BatchNormalization,
        kwargs,
        shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=trainable,
        expected_num_non_trainable_weights=2,
        training=training,
    )


def _random_weights(layer, rng):
    weights = []
    for w in layer.weights:
        value = rng.normal(size=w.shape).astype("float32")
        weights.append(
            np.abs(value) + 0.5 if w.name.startswith(("moving_v", "moving_s")) else value
        )
    return weights


STEP_CASES = [
    ({}, (4, 3, 3, 5)),
    ({"axis": 1, "momentum": 0.8}, (4, 5, 3, 2)),
    ({"momentum": 0.5}, (8, 3)),
    ({"axis": -1}, (3, 4, 5)),
    ({"axis": 2}, (3, 4, 5, 2)),
    ({}, (1, 3)),  # one value per feature: torch's kernel refuses, computed explicitly
    ({"renorm": True, "renorm_momentum": 0.9}, (6, 4)),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.2, "rmin": 0.8, "dmax": 0.1}}, (3, 4, 5)),
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "shape"), STEP_CASES)
def test_batch_normalization_training_steps_match_keras(kwargs, shape):
    keras = keras_or_skip()
    rng = np.random.default_rng(1)
    ref, ours = keras.layers.BatchNormalization(**kwargs), BatchNormalization(**kwargs)
    ref.build(shape)
    ours.build(shape)
    weights = _random_weights(ref, rng)
    ref.set_weights(weights)
    ours.set_weights(weights)
    for _ in range(4):
        x = (rng.normal(size=shape) * 3 + 2).astype("float32")
        assert_close(ours(torch.from_numpy(x), training=True), ref(x, training=True))
        assert_close(ours.get_weights(), ref.get_weights(), atol=1e-6)
    assert_close(ours(torch.from_numpy(x), training=False), ref(x, training=False))
    assert_close(ours(torch.from_numpy(x)), ref(x))  # inference by default


@pytest.mark.parity
def test_batch_normalization_moving_variance_is_biased_unlike_torch():
    keras = keras_or_skip()
    x = np.random.default_rng(2).normal(size=(4, 3)).astype("float32")
    ours, ref = BatchNormalization(momentum=0.0), keras.layers.BatchNormalization(momentum=0.0)
    ours(torch.from_numpy(x), training=True)
    ref(x, training=True)
    np.testing.assert_allclose(ours.moving_variance.numpy(), x.var(axis=0), rtol=1e-5)
    assert_close(ours.moving_variance, ref.moving_variance, atol=1e-6)
    torch_bn = torch.nn.BatchNorm1d(3, momentum=1.0)
    torch_bn(torch.from_numpy(x))
    assert not np.allclose(torch_bn.running_var.numpy(), x.var(axis=0))  # unbiased in torch


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 4, 5)])
def test_batch_normalization_mask_matches_keras(shape):
    keras = keras_or_skip()
    rng = np.random.default_rng(3)
    mask = rng.random(shape[:-1]) > 0.3
    ref, ours = keras.layers.BatchNormalization(), BatchNormalization()
    for _ in range(3):
        x = (rng.normal(size=shape) + 1).astype("float32")
        expected = ref(x, training=True, mask=keras.ops.convert_to_tensor(mask))
        got = ours(torch.from_numpy(x), training=True, mask=torch.from_numpy(mask))
        assert_close(got, expected)
        assert_close(ours.get_weights(), ref.get_weights(), atol=1e-6)
    masked_only = x.copy()
    masked_only[~mask] = 100.0  # masked entries do not move the statistics
    ours_copy = BatchNormalization()
    ours_copy(torch.from_numpy(masked_only), training=True, mask=torch.from_numpy(mask))
    ours_ref = BatchNormalization()
    ours_ref(torch.from_numpy(x), training=True, mask=torch.from_numpy(mask))
    assert_close(ours_copy.get_weights(), ours_ref.get_weights())


def test_batch_normalization_rejects_mask_of_wrong_rank():
    with pytest.raises(ValueError, match="one dimension less than the inputs"):
        BatchNormalization()(torch.ones(2, 3, 4), training=True, mask=torch.ones(2, dtype=bool))


@pytest.mark.parity
def test_batch_normalization_frozen_layer_runs_in_inference_mode():
    keras = keras_or_skip()
    rng = np.random.default_rng(4)
    ref, ours = keras.layers.BatchNormalization(), BatchNormalization()
    ref.build((None, 3))
    ours.build((None, 3))
    weights = _random_weights(ref, rng)
    ref.set_weights(weights)
    ours.set_weights(weights)
    ref.trainable = ours.trainable = False
    x = rng.normal(size=(5, 3)).astype("float32")
    out = ours(torch.from_numpy(x), training=True)
    assert_close(out, ref(x, training=True))
    assert_close(out, ours(torch.from_numpy(x), training=False))
    assert_close(ours.get_weights(), weights)  # the moving statistics did not move
    assert len(ours.trainable_weights) == 0
    assert len(ours.non_trainable_weights) == 4


def test_batch_normalization_weights_are_parameters_and_buffers():
    layer = BatchNormalization()
    layer.build((None, 4))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert {n for n, _ in layer.named_parameters()} == {"gamma", "beta"}
    assert {n for n, _ in layer.named_buffers()} == {"moving_mean", "moving_variance"}
    assert sorted(layer.state_dict()) == ["beta", "gamma", "moving_mean", "moving_variance"]
    assert layer.count_params() == 16


class _Recorder(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.calls.append((func, args))
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("training", [True, False])
def test_batch_normalization_channels_last_reaches_torch_as_a_view(training):
    layer = BatchNormalization()
    x = torch.randn(2, 5, 4, 3)
    layer(x)
    with _Recorder() as rec:
        y = layer(x, training=training)
    inputs = [args[0] for func, args in rec.calls if func is F.batch_norm]
    assert len(inputs) == 1
    view = inputs[0]
    assert view.shape == (2, 3, 5, 4)
    assert view.data_ptr() == x.data_ptr()
    assert view.is_contiguous(memory_format=torch.channels_last)
    assert not {"contiguous", "clone"} & {getattr(f, "__name__", "") for f, _ in rec.calls[:2]}
    assert y.shape == x.shape
    assert y.is_contiguous()


def test_batch_normalization_gradients_reach_gamma_and_beta_in_training():
    layer = BatchNormalization()
    y = layer(torch.randn(6, 3), training=True)
    (y * torch.randn(6, 3)).sum().backward()
    assert layer.gamma.tensor.grad is not None
    assert layer.beta.tensor.grad is not None


def test_batch_normalization_shared_layer_two_training_calls_then_backward():
    layer = BatchNormalization()
    a, b = layer(torch.randn(4, 3), training=True), layer(torch.randn(4, 3), training=True)
    (a.sum() + (b * b).sum()).backward()
    assert torch.isfinite(layer.gamma.tensor.grad).all()


@pytest.mark.parity
def test_batch_normalization_fit_like_steps_in_a_model_match_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 8, 4)).astype("float32")
    t = rng.normal(size=(3, 8, 2)).astype("float32")
    ref = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(5), keras.layers.BatchNormalization(momentum=0.9),
         keras.layers.Dense(2)]
    )  # fmt: skip
    ours = Sequential([Input((4,)), Dense(5), BatchNormalization(momentum=0.9), Dense(2)])
    ours.set_weights(ref.get_weights())
    ref.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    optimizer = torch.optim.SGD([w.tensor for w in ours.trainable_weights], lr=0.1)
    for step in range(3):
        ref.train_on_batch(x[step], t[step])
        optimizer.zero_grad()
        loss = (ours(torch.from_numpy(x[step]), training=True) - torch.from_numpy(t[step])) ** 2
        loss.mean().backward()
        optimizer.step()
        assert_close(ours.get_weights(), ref.get_weights(), atol=1e-5)
    assert_close(ours(torch.from_numpy(x[0])), ref.predict(x[0], verbose=0))


def test_batch_normalization_symbolic_in_functional_model():
    inputs = Input((6, 6, 3))
    outputs = BatchNormalization(axis=-1)(inputs)
    model = Model(inputs, outputs)
    assert outputs.shape == (None, 6, 6, 3)
    assert model.count_params() == 12
    layer = model.layers[-1]
    before = layer.moving_mean.numpy().copy()
    model(torch.randn(2, 6, 6, 3) + 5.0, training=True)
    assert not np.allclose(layer.moving_mean.numpy(), before)
    model(torch.randn(2, 6, 6, 3) + 5.0)
    assert to_numpy(layer.moving_mean).shape == (3,)


def test_batch_normalization_synchronized_single_rank_group_matches_local():
    import torch.distributed as dist

    if not dist.is_available():
        pytest.skip("torch.distributed is not available")
    x = torch.randn(4, 3, 2, 2)
    mask = torch.rand(4, 3, 2) > 0.3
    local, synced = BatchNormalization(), BatchNormalization(synchronized=True)
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29533", rank=0, world_size=1)
    try:
        for kwargs in ({}, {"mask": mask}):
            assert_close(synced(x, training=True, **kwargs), local(x, training=True, **kwargs))
            assert_close(synced.get_weights(), local.get_weights(), atol=1e-6)
    finally:
        dist.destroy_process_group()
    assert synced.get_config()["synchronized"] is True


def test_batch_normalization_rejects_list_axis_and_bad_renorm_clipping():
    with pytest.raises(TypeError, match="`axis` must be an int"):
        BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="invalid keys for `renorm_clipping`"):
        BatchNormalization(renorm=True, renorm_clipping={"rmaxx": 1.0})
    with pytest.raises(ValueError, match="out of bounds"):
        BatchNormalization(axis=3)(torch.ones(2, 3))
