"""Hashing: TensorFlow's buckets (FarmHash / keyed SipHash), masks, output modes, configs.

Keras 3.15's Hashing needs TensorFlow (it raises ImportError without it), which the oracle
environment does not have: the expected bins below are the ones Keras's own test-suite
(`keras/src/layers/preprocessing/hashing_test.py`) records from TensorFlow, and the harness
runs without the Keras comparison.
"""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.preprocessing.hashing import Hashing
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import assert_close

LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]
NAMES = np.asarray([["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]])
INTS = np.asarray([[0], [1], [2], [3], [4]])

# (kwargs, input, expected bins): Keras's hashing_test.py, computed by TensorFlow.
TF_CASES = [
    ({"num_bins": 3}, LETTERS, [[1], [0], [1], [1], [2]]),
    ({"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]],
     [[1], [1], [0], [2], [2]]),
    ({"num_bins": 3, "salt": [133, 137]}, LETTERS, [[1], [2], [1], [0], [2]]),
    ({"num_bins": 3, "salt": 133}, LETTERS, [[0], [0], [2], [1], [0]]),
    ({"num_bins": 3}, [0, 1, 2, 3, 4], [1, 0, 1, 0, 2]),
    ({"num_bins": 1}, LETTERS, [[0], [0], [0], [0], [0]]),
    ({"num_bins": 2}, NAMES, [[0], [0], [1], [0], [0]]),
    ({"num_bins": 2}, ["omar", "stringer", "marlo", "wire", "skywalker"], [0, 0, 1, 0, 0]),
    ({"num_bins": 3, "mask_value": ""}, NAMES, [[1], [1], [2], [1], [1]]),
    ({"num_bins": 3, "mask_value": "omar"}, NAMES, [[0], [1], [2], [1], [1]]),
    ({"num_bins": 3}, INTS, [[1], [0], [1], [0], [2]]),
    ({"num_bins": 2, "salt": [133, 137]}, NAMES, [[0], [1], [0], [1], [0]]),
    ({"num_bins": 2, "salt": [211, 137]}, NAMES, [[1], [0], [1], [0], [1]]),
    ({"num_bins": 3, "salt": [133, 137]}, INTS, [[1], [1], [2], [0], [1]]),
    ({"num_bins": 2}, [[1, 2], [2, 3], [3, 4]], [[1, 1], [1, 1], [1, 1]]),
    ({"num_bins": 2}, [[[1], [2]], [[2], [3]], [[3], [4]]], [[[1], [1]], [[1], [1]], [[1], [1]]]),
    ({"num_bins": 3, "output_mode": "one_hot"}, [0, 1, 2, 3, 4],
     [[0, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]),
    ({"num_bins": 3, "output_mode": "multi_hot"}, [[0, 1, 2, 3, 4]], [[1, 1, 1]]),
    ({"num_bins": 3, "output_mode": "count"}, [0, 1, 2, 3, 4], [2, 2, 1]),
    ({"num_bins": 3, "output_mode": "count"}, [[0, 1, 2, 3, 4]], [[2, 2, 1]]),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "inputs", "expected"), TF_CASES)
def test_hashing_gives_tensorflow_bins(kwargs, inputs, expected):
    out = Hashing(**kwargs)(inputs)
    assert out.dtype == (
        torch.int64 if kwargs.get("output_mode", "int") == "int" else torch.float32
    )
    np.testing.assert_array_equal(out.numpy(), np.asarray(expected))


def test_hashing_integer_tensor_floats_and_bools():
    layer = Hashing(num_bins=3)
    ints = layer(torch.tensor([[0], [1], [2], [3], [4]], dtype=torch.int32))
    np.testing.assert_array_equal(ints.numpy(), [[1], [0], [1], [0], [2]])
    # Floats are truncated to int64 before hashing (TensorFlow's cast).
    np.testing.assert_array_equal(layer(np.array([0.7, 1.2, -0.5])).numpy(), layer([0, 1, 0]))
    np.testing.assert_array_equal(layer([True, False]).numpy(), layer(["true", "false"]).numpy())
    # With a mask value, bin 0 is the mask's and the others are the hashes into 2 bins, + 1.
    masked = Hashing(num_bins=3, mask_value=0)(torch.tensor([0, 1, 2]))
    np.testing.assert_array_equal(masked[1:].numpy(), Hashing(num_bins=2)([1, 2]).numpy() + 1)
    assert masked[0] == 0


@pytest.mark.parametrize(
    ("kwargs", "shape", "expected"),
    [
        ({"num_bins": 5}, (2, 4), (2, 4)),
        ({"num_bins": 5, "output_mode": "one_hot"}, (3, 1), (3, 5)),
        ({"num_bins": 4, "output_mode": "multi_hot", "dtype": "float64"}, (2, 3), (2, 4)),
        ({"num_bins": 4, "output_mode": "count", "salt": 7}, (2, 3), (2, 4)),
        ({"num_bins": 6, "mask_value": 0, "dtype": "int32"}, (2, 3), (2, 3)),
    ],
)
def test_hashing_layer_checks(kwargs, shape, expected):
    # compare_with_keras=False: Keras's Hashing cannot be built without TensorFlow.
    check_layer(
        Hashing, kwargs, shape, input_dtype="int32", expected_output_shape=expected,
        expected_num_trainable_weights=0, compare_with_keras=False,
    )  # fmt: skip


def test_hashing_sparse_output_and_symbolic_shapes():
    dense = Hashing(num_bins=4, output_mode="count")([[1, 2, 2]])
    sparse = Hashing(num_bins=4, output_mode="count", sparse=True)([[1, 2, 2]])
    assert sparse.is_sparse
    assert torch.equal(sparse.to_dense(), dense)
    for mode, shape in [("int", (None, 3)), ("one_hot", (None, 5)), ("count", (None, 5))]:
        assert Hashing(num_bins=5, output_mode=mode)(Input((3,), dtype="int32")).shape == shape
    assert Hashing(num_bins=5).compute_output_shape((None, 3)) == (None, 3)


def test_hashing_config_has_keras_keys():
    layer = Hashing(num_bins=8, salt=5, mask_value="", output_mode="count", name="h")
    config = layer.get_config()
    assert config["salt"] == [5, 5]
    assert Hashing.from_config(config).get_config() == config
    # Keras's Hashing.get_config needs TensorFlow; these are its keys (hashing.py).
    keras_keys = {"name", "trainable", "dtype", "num_bins", "salt", "mask_value", "output_mode",
                  "sparse"}  # fmt: skip
    assert set(config) == keras_keys


def test_hashing_keras_file_round_trip(tmp_path):
    inputs = Input((3,), dtype="int32")
    model = Model(inputs, Hashing(num_bins=7, salt=[1, 2], output_mode="multi_hot")(inputs))
    x = torch.tensor([[5, 9, 12], [0, 1, 1]], dtype=torch.int32)
    path = str(tmp_path / "hashing.keras")
    model.save(path)
    assert_close(kerastorch.saving.load_model(path)(x), model(x))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_bins": None}, "cannot be `None` or non-positive"),
        ({"num_bins": 0}, "cannot be `None` or non-positive"),
        ({"num_bins": 2, "salt": "string"}, "can only be a tuple of size 2"),
        ({"num_bins": 2, "salt": [1, 2, 3]}, "can only be a tuple of size 2"),
        ({"num_bins": 3, "output_mode": "unsupported"}, "Invalid value for argument"),
        ({"num_bins": 3, "dtype": "float32"}, "should be an integer type"),
        ({"num_bins": 3, "sparse": True}, "`sparse` may only be true"),
    ],
)
def test_hashing_rejects_bad_arguments_like_keras(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Hashing(**kwargs)
