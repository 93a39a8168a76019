"""Keras's HashedCrossing needs TensorFlow: expected values are those of Keras's own tests
(keras/src/layers/preprocessing/hashed_crossing_test.py), computed there with TF."""

import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.hashed_crossing import HashedCrossing

FEAT1 = ["A", "B", "A", "B", "A"]
FEAT2 = [101, 101, 101, 102, 102]


@pytest.mark.parametrize(
    ("feat1", "feat2"),
    [
        (FEAT1, FEAT2),
        (np.array(FEAT1), np.array(FEAT2)),
        (np.array(FEAT1), torch.tensor(FEAT2)),
    ],
)
def test_hashed_crossing_matches_keras_known_values(feat1, feat2):
    out = HashedCrossing(num_bins=5)((feat1, feat2))
    assert out.dtype == torch.int64
    assert out.tolist() == [1, 4, 1, 1, 3]


def test_hashed_crossing_one_hot_and_column_inputs():
    layer = HashedCrossing(num_bins=5, output_mode="one_hot")
    out = layer((np.array(FEAT1)[:, None], np.array(FEAT2)[:, None]))
    expected = np.eye(5, dtype="float32")[[1, 4, 1, 1, 3]]
    np.testing.assert_array_equal(out.numpy(), expected)
    assert out.dtype == torch.float32


def test_hashed_crossing_scalars_dtype_and_config():
    assert HashedCrossing(num_bins=10)(("A", 101)).item() == 1
    layer = HashedCrossing(num_bins=2, dtype="int32")
    assert layer((np.array([1]), np.array([1]))).dtype == torch.int32
    config = HashedCrossing(num_bins=5).get_config()
    assert config == {
        "num_bins": 5,
        "output_mode": "int",
        "sparse": False,
        "name": "hashed_crossing_2",
        "dtype": "int64",
    }
    assert HashedCrossing.from_config(config).get_config() == config


def test_hashed_crossing_errors():
    with pytest.raises(ValueError, match="list or tuple"):
        HashedCrossing(num_bins=10)(np.array(1))
    with pytest.raises(ValueError, match="at least two inputs"):
        HashedCrossing(num_bins=10)([np.array(1)])
    with pytest.raises(ValueError, match="inputs should have shape"):
        HashedCrossing(num_bins=10)((np.array([[[1]]]), np.array([[[1]]])))
    with pytest.raises(ValueError, match="integer or string dtype"):
        HashedCrossing(num_bins=10)((np.array([1.0]), np.array([1.0])))
