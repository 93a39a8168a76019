"""The model as a torch module: state_dict, torch.save, torch.compile, torch.export, and
plain torch modules used as layers (`TorchModuleWrapper`, direct assignment)."""

import importlib.util

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.torch_module_wrapper import TorchModuleWrapper
from kerastorch.layers.normalization import BatchNormalization
from kerastorch.layers.pooling import MaxPooling2D
from kerastorch.layers.recurrent import LSTM
from tests.oracle import assert_close


def _sequential():
    return kt.Sequential(
        [kt.Input((8, 8, 3)), kt.layers.Conv2D(4, 3, name="conv"), BatchNormalization(name="bn"),
         MaxPooling2D(name="pool"), kt.layers.Flatten(name="flat"), kt.layers.Dense(2, name="out")]
    )  # fmt: skip


def _functional():
    a, b = kt.Input((5, 4), name="seq"), kt.Input((3,), name="extra")
    h = LSTM(6, name="lstm")(a)
    h = kt.layers.Concatenate(name="cat")([h, b])
    return kt.Model([a, b], kt.layers.Dense(2, name="out")(h))


def _inputs(model):
    if len(model.inputs) == 1:
        return (torch.randn(2, 8, 8, 3),)
    return ([torch.randn(2, 5, 4), torch.randn(2, 3)],)


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_state_dict_round_trip(build):
    model, other = build(), build()
    other.load_state_dict(model.state_dict())
    args = _inputs(model)
    model.eval(), other.eval()
    assert torch.equal(other(*args), model(*args))


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_torch_save_whole_model(tmp_path, build):
    model = build()
    model.eval()
    torch.save(model, tmp_path / "m.pt")
    loaded = torch.load(tmp_path / "m.pt", weights_only=False)
    args = _inputs(model)
    assert torch.equal(loaded(*args), model(*args))
    assert [w.name for w in loaded.weights] == [w.name for w in model.weights]


def test_torch_compile_matches_eager():
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(8, activation="relu"),
                           kt.layers.Dense(2)])  # fmt: skip
    x = torch.randn(3, 4)
    compiled = torch.compile(model, backend="aot_eager")
    assert_close(compiled(x), model(x))


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_torch_export_runs_and_matches(build):
    model = build()
    model.eval()
    args = _inputs(model)
    program = torch.export.export(model, args)
    assert_close(program.module()(*args), model(*args))


def test_export_onnx_needs_onnx(tmp_path):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    if importlib.util.find_spec("onnx") is None:
        with pytest.raises(ImportError, match="requires the `onnx` package"):
            model.export(tmp_path / "m.onnx", format="onnx")
    else:
        model.export(tmp_path / "m.onnx", format="onnx")
        assert (tmp_path / "m.onnx").stat().st_size > 0
        if importlib.util.find_spec("onnxruntime") is not None:
            import onnxruntime

            session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"))
            x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
            (got,) = session.run(None, {session.get_inputs()[0].name: x})
            assert_close(got, model(torch.from_numpy(x)))
    with pytest.raises(ValueError, match="format='tf_saved_model' needs TensorFlow"):
        model.export(tmp_path / "m", format="tf_saved_model")


def test_torch_module_wrapper_weights_train_and_save(tmp_path):
    torch.manual_seed(0)
    inputs = kt.Input((3,))
    outputs = kt.layers.Dense(1)(TorchModuleWrapper(torch.nn.Linear(3, 4))(inputs))
    model = kt.Model(inputs, outputs)
    wrapper = model.layers[1]
    assert [w.shape for w in wrapper.weights] == [(4, 3), (4,)]
    assert len(model.trainable_weights) == 4
    before = wrapper.module.weight.detach().clone()
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    assert not torch.equal(wrapper.module.weight, before)
    x = torch.randn(2, 3)
    expected = model(x).detach()
    model.save_weights(tmp_path / "w.weights.h5")
    for v in model.weights:
        v.assign(np.zeros(v.shape))
    model.load_weights(tmp_path / "w.weights.h5")
    assert_close(model(x), expected, atol=0, rtol=0)
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match=r"deserialization of a `torch.nn.Module`"):
        kt.models.load_model(tmp_path / "m.keras")
    loaded = kt.models.load_model(tmp_path / "m.keras", safe_mode=False)
    assert_close(loaded(x), expected)


class _Net(kt.Model):
    def __init__(self):
        super().__init__()
        self.torch_linear = torch.nn.Linear(3, 4)
        self.head = kt.layers.Dense(1)

    def call(self, x):
        return self.head(torch.relu(self.torch_linear(x)))


def test_plain_module_assigned_in_subclassed_model_is_trained(tmp_path):
    model = _Net()
    model(torch.ones(1, 3))
    assert isinstance(model.torch_linear, TorchModuleWrapper)
    assert len(model.trainable_weights) == 4  # torch Linear (2) + Dense (2)
    linear = model.torch_linear.module
    before = linear.weight.detach().clone()
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    assert not torch.equal(linear.weight, before)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _Net()
    other(torch.ones(1, 3))
    other.load_weights(tmp_path / "w.weights.h5")
    assert torch.equal(other.torch_linear.module.weight, linear.weight)
    x = torch.randn(2, 3)
    assert_close(other(x), model(x))
