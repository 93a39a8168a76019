"""`ops` math group (and the Fourier ops of `spectral.py`) against the Keras oracle."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.oracle_compare import assert_same, assert_same_spec
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def cplx(r, *shape):
    return (f32(r, *shape), f32(r, *shape))


IDS = np.array([0, 0, 2, 1, 2])
CASES = [
    ("segment_sum", lambda r: (f32(r, 5, 2), IDS), {"num_segments": 4}),
    ("segment_sum", lambda r: (np.arange(5, dtype="int32"), IDS), {}),
    ("segment_max", lambda r: (f32(r, 5, 2), IDS), {"num_segments": 3}),
    ("segment_min", lambda r: (f32(r, 5), IDS), {"num_segments": 3}),
    ("segment_prod", lambda r: (f32(r, 5, 3), IDS), {"num_segments": 3, "sorted": False}),
    ("top_k", lambda r: (f32(r, 3, 6), 2), {}),
    ("top_k", lambda r: (np.array([5, 9, 1, 7], "int32"), 3), {}),
    ("in_top_k", lambda r: (np.array([1, 0, 3]), f32(r, 3, 5), 2), {}),
    ("logsumexp", lambda r: (f32(r, 3, 4),), {}),
    ("logsumexp", lambda r: (f32(r, 3, 4),), {"axis": -1, "keepdims": True}),
    ("cdist", lambda r: (f32(r, 2, 4, 3), f32(r, 2, 5, 3)), {}),
    ("extract_sequences", lambda r: (f32(r, 2, 10), 4, 3), {}),
    ("rsqrt", lambda r: (np.abs(f32(r, 4)) + 0.5,), {}),
    ("erf", lambda r: (f32(r, 2, 3),), {}),
    ("erfc", lambda r: (f32(r, 2, 3),), {}),
    ("erfinv", lambda r: (np.tanh(f32(r, 2, 3)),), {}),
    ("logdet", lambda r: (np.eye(3, dtype="float32") * 2 + 0.1,), {}),
    ("view_as_complex", lambda r: (f32(r, 3, 2),), {}),
    ("view_as_real", lambda r: (np.array([1 + 2j, 3 - 4j], "complex64"),), {}),
    ("fft", lambda r: (cplx(r, 2, 8),), {}),
    ("fft2", lambda r: (cplx(r, 2, 4, 4),), {}),
    ("ifft2", lambda r: (cplx(r, 4, 4),), {}),
    ("rfft", lambda r: (f32(r, 2, 8),), {}),
    ("rfft", lambda r: (f32(r, 8),), {"fft_length": 6}),
    ("irfft", lambda r: (cplx(r, 2, 5),), {}),
    ("irfft", lambda r: (cplx(r, 5),), {"fft_length": 6}),
    ("stft", lambda r: (f32(r, 2, 32), 8, 4, 8), {}),
    ("stft", lambda r: (f32(r, 2, 3, 32), 6, 3, 8), {"window": "hamming", "center": False}),
    ("stft", lambda r: (f32(r, 32), 8, 4, 8), {"window": None}),
    ("istft", lambda r: (cplx(r, 2, 9, 5), 8, 4, 8), {}),
    ("istft", lambda r: (cplx(r, 9, 5), 6, 3, 8), {"window": "hamming", "center": False}),
    ("istft", lambda r: (cplx(r, 9, 5), 6, 3, 8), {"length": 20}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_math_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    assert_same(getattr(ops, name)(*args, **kwargs), getattr(keras.ops, name)(*args, **kwargs))


SYMBOLIC = [
    ("segment_sum", [((5, 2), "float32"), ((5,), "int32")], {"num_segments": 3}),
    ("top_k", [((None, 6), "float32")], {"k": 2}),
    ("in_top_k", [((None,), "int32"), ((None, 5), "float32")], {"k": 2}),
    ("logsumexp", [((None, 4), "float32")], {"axis": -1}),
    ("cdist", [((None, 4, 3), "float32"), ((None, 5, 3), "float32")], {}),
    ("extract_sequences", [((None, 10), "float32")], {"sequence_length": 4, "sequence_stride": 3}),
    ("erf", [((None, 3), "float32")], {}),
    ("rsqrt", [((None, 3), "float32")], {}),
    ("rfft", [((None, 8), "float32")], {}),
    (
        "stft",
        [((None, 32), "float32")],
        {"sequence_length": 8, "sequence_stride": 4, "fft_length": 8},
    ),
    ("view_as_real", [((None, 3), "complex64")], {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_math_op_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    ours = getattr(ops, name)(*(kerastorch.KerasTensor(*s) for s in specs), **kwargs)
    theirs = getattr(keras.ops, name)(*(keras.KerasTensor(*s) for s in specs), **kwargs)
    if name == "top_k":  # Keras's symbolic spec says int32, its eager torch result is int64:
        theirs = (theirs[0], keras.KerasTensor(theirs[1].shape, "int64"))  # we follow eager
    assert_same_spec(ours, theirs)


def test_fft_symbolic_records_a_node():
    real = kerastorch.KerasTensor((None, 8))
    out = ops.fft((real, real))
    assert [o.shape for o in out] == [(None, 8), (None, 8)]
    assert type(out[0]._keras_history.layer).__name__ == "FFT"


def test_segment_sum_default_num_segments_and_dropped_ids():
    out = ops.segment_sum(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([0, -1, 1]))
    assert out.tolist() == [1.0, 4.0]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ops.segment_sum(np.ones((3, 2)), np.zeros((3, 1))), "segment_sum: .*segment_ids"),
        (lambda: ops.segment_max(np.ones(3), np.zeros(2)), "segment_max: .*leading dimension"),
        (lambda: ops.cdist(np.ones(3), np.ones((2, 3))), "cdist: .*rank >= 2"),
        (lambda: ops.cdist(np.ones((2, 3)), np.ones((2, 4))), "cdist: .*last dimension"),
        (lambda: ops.fft(np.ones(3)), "fft: .*real and imaginary"),
        (lambda: ops.irfft((np.ones(3), np.ones(2))), "irfft: .*same shape"),
        (lambda: ops.stft(np.ones(16, "float32"), 8, 4, 4), "stft: .*fft_length"),
        (lambda: ops.stft(np.ones(16, "float32"), 8, 4, 8, window="box"), "stft: .*window"),
        (lambda: ops.view_as_complex(np.ones((2, 3))), "view_as_complex: .*size 2"),
    ],
)
def test_math_bad_inputs_name_the_op(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stft_rejects_integer_input():
    with pytest.raises(TypeError, match="stft: `x` must be float32"):
        ops.stft(np.ones(16, "int32"), 8, 4, 8)


@pytest.mark.parity
def test_math_and_linalg_ops_in_a_saved_model_load_in_keras(tmp_path):
    keras = keras_or_skip()
    inputs = kerastorch.Input((3, 4))
    hidden = (
        ops.erf(ops.logsumexp(inputs, axis=-1, keepdims=True))
        + ops.norm(inputs, axis=-1)[..., None]
    )
    model = kerastorch.Model(inputs, ops.rsqrt(hidden + 2.0))
    path = str(tmp_path / "math.keras")
    model.save(path)
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    expected = model(torch.as_tensor(x))
    assert_same(kerastorch.saving.load_model(path)(torch.as_tensor(x)), expected)
    assert_same(keras.saving.load_model(path)(x), expected)
