"""`kerastorch.backend`: Keras's `keras.backend` names and their results."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import backend
from tests.oracle import keras_or_skip

DTYPES = [None, int, float, bool, complex, "int", "float32", "bfloat16", "uint8", torch.float16,
          torch.int64, torch.bool, np.float64, np.dtype("int16"), "string"]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("dtype", DTYPES, ids=[str(d) for d in DTYPES])
def test_backend_dtype_functions_match_keras(dtype):
    keras = keras_or_skip()
    assert backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)
    for name in ("is_float_dtype", "is_int_dtype"):
        assert getattr(backend, name)(dtype) == getattr(keras.backend, name)(dtype)


@pytest.mark.parity
def test_backend_result_type_and_names_match_keras():
    keras = keras_or_skip()
    for dtypes in [("int32", "float16"), ("uint8", "int8"), ("int8", int), (float,), ("bool",)]:
        assert backend.result_type(*dtypes) == keras.backend.result_type(*dtypes)
    theirs = {n for n in dir(keras.backend) if not n.startswith("_")}
    assert theirs <= set(backend.__all__)


def test_backend_get_uid_counts_and_clear_session_resets():
    backend.clear_session()
    assert [backend.get_uid("thing") for _ in range(3)] == [1, 2, 3]
    assert backend.get_uid("other") == 1
    backend.clear_session()
    assert backend.get_uid("thing") == 1


def test_backend_bad_dtype_and_keras_tensor():
    with pytest.raises(ValueError, match="Invalid dtype: float"):
        backend.standardize_dtype("float")
    assert backend.is_keras_tensor(kerastorch.Input((2,)))
    assert not backend.is_keras_tensor(torch.zeros(2))
