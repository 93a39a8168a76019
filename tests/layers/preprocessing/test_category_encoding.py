import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.category_encoding import CategoryEncoding
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize(
    ("mode", "shape", "out_shape"),
    [
        ("one_hot", (4,), (4, 5)),
        ("one_hot", (4, 1), (4, 5)),
        ("multi_hot", (4, 3), (4, 5)),
        ("count", (4, 3), (4, 5)),
    ],
)
def test_category_encoding_matches_keras(mode, shape, out_shape):
    keras_or_skip()
    check_layer(
        CategoryEncoding,
        {"num_tokens": 5, "output_mode": mode},
        shape,
        input_dtype="int64",
        input_range=(0, 5),
        expected_output_shape=out_shape,
        expected_output_dtype="float32",
        check_models=len(shape) > 1,
    )


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["multi_hot", "count", "one_hot"])
def test_category_encoding_rank1_and_scalar_inputs_match_keras(mode):
    keras = keras_or_skip()
    for x in (np.array([3, 1, 1]), np.array(2)):
        ref = keras.layers.CategoryEncoding(num_tokens=5, output_mode=mode)
        ours = CategoryEncoding(num_tokens=5, output_mode=mode)
        assert_close(ours(torch.from_numpy(x)), to_numpy(ref(x)))


@pytest.mark.parity
def test_category_encoding_count_weights_match_keras():
    keras = keras_or_skip()
    x = np.array([[0, 1, 1], [2, 3, 0]])
    w = np.array([[0.5, 1.0, 2.0], [1.0, 1.5, 3.0]], dtype="float32")
    ref = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    ours = CategoryEncoding(num_tokens=4, output_mode="count")
    assert_close(ours(torch.from_numpy(x), count_weights=w), to_numpy(ref(x, count_weights=w)))


def test_category_encoding_sparse_and_errors():
    out = CategoryEncoding(num_tokens=3, output_mode="one_hot", sparse=True)(torch.tensor([2, 0]))
    assert out.is_sparse
    assert out.to_dense().tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match="num_tokens must be set"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="count_weights"):
        CategoryEncoding(num_tokens=3)(torch.tensor([1]), count_weights=[1.0])
