"""`pad_sequences` against Keras's own."""

import numpy as np
import pytest

from kerastorch.utils import pad_sequences
from tests.oracle import keras_or_skip

SEQS = [[1], [2, 3], [4, 5, 6, 7], []]
CASES = [
    ("default", SEQS, {}),
    ("post_padding", SEQS, {"padding": "post"}),
    ("post_truncating", SEQS, {"maxlen": 2, "truncating": "post"}),
    ("pre_truncating", SEQS, {"maxlen": 3}),
    ("value", SEQS, {"value": -1, "padding": "post"}),
    ("float", [[0.5], [1.5, 2.5]], {"dtype": "float32", "value": 0.25}),
    ("object_strings", [["a"], ["b", "c"]], {"dtype": object, "value": "<pad>"}),
    ("str_dtype", [["ab"], ["b", "c"]], {"dtype": "<U3", "value": "x"}),
    ("vector_steps", [np.ones((2, 3)), np.zeros((1, 3))], {"maxlen": 3, "dtype": "float64"}),
    ("numpy_rows", [np.arange(4), np.arange(2)], {"maxlen": 5, "padding": "post"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "seqs", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_pad_sequences_matches_keras(name, seqs, kwargs):
    keras = keras_or_skip()
    ours = pad_sequences(seqs, **kwargs)
    theirs = keras.utils.pad_sequences(seqs, **kwargs)
    assert isinstance(ours, np.ndarray)
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    ("seqs", "kwargs", "message"),
    [
        ([[1]], {"padding": "mid"}, 'Padding type "mid" not understood'),
        ([[1]], {"truncating": "mid"}, 'Truncating type "mid" not understood'),
        ([[1]], {"value": "x"}, "You should set `dtype=object`"),
        ([[1], 3], {}, "must be a list of iterables"),
        (iter([[1]]), {}, "`sequences` must be iterable"),
        ([np.ones((2, 3)), np.ones((2, 2))], {}, "is different from expected shape"),
    ],
)
def test_pad_sequences_errors(seqs, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("`", ".")):
        pad_sequences(seqs, **kwargs)
