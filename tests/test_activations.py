"""kerastorch.activations against keras.activations (the oracle)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch import activations
from tests.oracle import assert_close, keras_or_skip

# Small, large and tiny values, both signs, and the break points of the piecewise functions.
EDGES = np.array(
    [-100, -30, -20, -6, -5, -3, -1, -0.5, -1e-4, 0, 1e-4, 0.5, 1, 3, 5, 6, 20, 30, 100],
    dtype="float32",
)

CASES = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"threshold": -1.0, "max_value": 3.0}),
    ("relu", {"negative_slope": 0.2, "max_value": 4.0, "threshold": 1.0}),
    ("relu", {"negative_slope": 0.3, "max_value": 6.0}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("relu6", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("celu", {}),
    ("celu", {"alpha": 2.0}),
    ("softplus", {}),
    ("softsign", {}),
    ("silu", {}),
    ("swish", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("glu", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("sigmoid", {}),
    ("sparse_sigmoid", {}),
    ("tanh", {}),
    ("tanh_shrink", {}),
    ("hard_tanh", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.5}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 2.0}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("sparse_plus", {}),
    ("log_sigmoid", {}),
    ("exponential", {}),
    ("linear", {}),
    ("mish", {}),
    ("threshold", {"threshold": 0.5, "default_value": -2.0}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("softmax", {"axis": (0, 1)}),
    ("softmax", {"axis": None}),
    ("log_softmax", {}),
    ("log_softmax", {"axis": 0}),
    ("log_softmax", {"axis": (1, 2)}),
]


def _inputs(name):
    rng = np.random.default_rng(0)
    random = (3 * rng.normal(size=(2, 3, 4))).astype("float32")
    if name == "exponential":
        return [EDGES[np.abs(EDGES) <= 30], random]  # exp(100) overflows in both
    if name in ("softmax", "log_softmax", "glu"):
        return [random, (20 * random).astype("float32")]
    return [EDGES, random]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_activation_matches_keras(name, kwargs):
    keras = keras_or_skip()
    for x in _inputs(name):
        expected = getattr(keras.activations, name)(x, **kwargs)
        actual = getattr(activations, name)(torch.from_numpy(x), **kwargs)
        assert isinstance(actual, torch.Tensor)
        assert actual.shape == x.shape or name == "glu"
        assert_close(actual, expected, atol=1e-6, rtol=1e-6)


@pytest.mark.parity
def test_sparsemax_matches_keras_when_one_entry_survives():
    keras = keras_or_skip()
    x = np.array([[1.0, 2.0, 5.0], [-3.0, 4.0, 0.0], [10.0, 0.0, 0.5]], dtype="float32")
    for axis in (-1, 0):
        expected = keras.activations.sparsemax(x, axis=axis)
        assert_close(activations.sparsemax(torch.from_numpy(x), axis=axis), expected)


def test_sparsemax_projects_onto_the_simplex():
    x = torch.tensor([[0.1, 0.2, 0.3], [0.0, 0.5, 1.0], [1.0, 1.5, 5.0], [0.3, -1.0, 0.2]])
    y = activations.sparsemax(x)
    expected = torch.tensor(
        [[0.2333333, 1 / 3, 0.4333333], [0.0, 0.25, 0.75], [0.0, 0.0, 1.0], [0.55, 0.0, 0.45]]
    )
    assert_close(y, expected, atol=1e-6)
    assert_close(y.sum(-1), torch.ones(4), atol=1e-6)
    assert_close(activations.sparsemax(x.T, axis=0), expected.T, atol=1e-6)


def test_activation_keeps_float64_and_takes_numpy_input():
    x = np.linspace(-3, 3, 7)
    y = activations.gelu(x)
    assert y.dtype == torch.float64
    t = torch.from_numpy(x)
    assert_close(y, 0.5 * t * (1 + torch.erf(t / np.sqrt(2.0))))
    assert activations.relu([-1.0, 2.0]).dtype == torch.float32


def test_activation_gradients_are_finite():
    for name, kwargs in CASES:
        if name == "threshold":
            continue
        x = torch.linspace(-20, 20, 16).reshape(2, 2, 4).requires_grad_()
        getattr(activations, name)(x, **kwargs).sum().backward()
        assert torch.isfinite(x.grad).all(), name


def test_softmax_warns_on_an_axis_of_size_one():
    with pytest.warns(UserWarning, match="This axis has size 1"):
        y = activations.softmax(torch.ones(2, 1))
    assert torch.equal(y, torch.ones(2, 1))


def test_softmax_and_sigmoid_keep_their_logits():
    x = torch.randn(2, 3)
    assert activations.softmax(x)._keras_logits is x
    assert activations.sigmoid(x)._keras_logits is x


def test_get_none_is_linear_and_aliases_resolve():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(torch.tanh) is torch.tanh
    assert activations.swish is activations.silu


@pytest.mark.parity
def test_get_knows_every_keras_activation_name():
    keras = keras_or_skip()
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, fn in ALL_OBJECTS_DICT.items():
        assert activations.get(name).__name__ == fn.__name__, name
        assert getattr(activations, name) is activations.get(name)
    public = {n for n in dir(keras.activations) if not n.startswith("_")}
    assert public <= set(activations.__all__)


@pytest.mark.parity
def test_serialize_matches_keras():
    keras = keras_or_skip()

    def my_activation(x):
        return x

    for name in ("relu", "swish", "hard_swish", "softmax", "linear", "gelu"):
        expected = keras.activations.serialize(getattr(keras.activations, name))
        assert activations.serialize(getattr(activations, name)) == expected
    assert activations.serialize(my_activation) == keras.activations.serialize(my_activation)
    assert activations.serialize(my_activation) == {
        "module": "builtins",
        "class_name": "function",
        "config": "my_activation",
        "registered_name": "function",
    }


@pytest.mark.parity
def test_deserialize_reads_keras_configs():
    keras = keras_or_skip()
    from keras.saving import serialize_keras_object

    assert activations.deserialize("relu") is activations.relu
    assert activations.get(serialize_keras_object(keras.activations.elu)) is activations.elu
    config = {"module": "keras.activations", "class_name": "function", "config": "tanh"}
    assert activations.deserialize({**config, "registered_name": "tanh"}) is activations.tanh


def test_deserialize_custom_function_needs_custom_objects():
    def scaled(x):
        return 2 * x

    config = activations.serialize(scaled)
    assert activations.deserialize(config, custom_objects={"scaled": scaled}) is scaled
    with pytest.raises(TypeError, match="Could not locate function 'scaled'"):
        activations.get(config)


@pytest.mark.parity
def test_get_unknown_raises_keras_error():
    keras = keras_or_skip()
    with pytest.raises(ValueError) as expected:
        keras.activations.get("not_an_activation")
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get("not_an_activation")
    with pytest.raises(ValueError) as actual:
        activations.get("not_an_activation")
    assert str(actual.value) == str(expected.value)


def test_softmax_sigmoid_relu_are_torchs_kernels_bit_for_bit():
    x = torch.randn(4, 5, dtype=torch.float64)
    assert torch.equal(activations.softmax(x), F.softmax(x, dim=-1))
    assert torch.equal(activations.softmax(x, axis=0), F.softmax(x, dim=0))
    assert torch.equal(activations.sigmoid(x), torch.sigmoid(x))
    assert torch.equal(activations.relu(x), F.relu(x))
    assert activations.softmax(x, axis=0)._keras_logits_axis == 0
    assert not hasattr(activations.softmax(x, axis=(0, 1)), "_keras_logits")
    assert torch.equal(activations.softmax([[1.0, 2.0]]), F.softmax(torch.tensor([[1.0, 2.0]]), -1))
