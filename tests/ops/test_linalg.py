"""`ops.linalg` against the Keras oracle: values, shapes, dtypes, symbolic specs, errors."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.oracle_compare import assert_same, assert_same_spec
from tests.oracle import keras_or_skip


def f32(r, *shape):
    return r.normal(size=shape).astype("float32")


def spd(r, n=3):
    a = f32(r, n, n)
    return a @ a.T + n * np.eye(n, dtype="float32")


def upper(r, n=3):
    return np.triu(f32(r, n, n)) + 3 * np.eye(n, dtype="float32")


CASES = [
    ("cholesky", lambda r: (spd(r),), {}),
    ("cholesky", lambda r: (spd(r),), {"upper": True}),
    ("cholesky_inverse", lambda r: (np.linalg.cholesky(spd(r)),), {}),
    ("det", lambda r: (f32(r, 2, 3, 3),), {}),
    ("eigh", lambda r: (spd(r),), {}),
    ("inv", lambda r: (spd(r),), {}),
    ("lu_factor", lambda r: (f32(r, 3, 3),), {}),
    ("norm", lambda r: (f32(r, 3, 4),), {}),
    ("norm", lambda r: (f32(r, 3, 4),), {"ord": "fro", "axis": (0, 1), "keepdims": True}),
    ("norm", lambda r: (f32(r, 3, 4),), {"ord": 1, "axis": -1}),
    ("norm", lambda r: (np.arange(6, dtype="int32").reshape(2, 3),), {"axis": 1}),
    ("norm", lambda r: (f32(r, 3, 4),), {"ord": 2}),
    ("qr", lambda r: (f32(r, 4, 3),), {}),
    ("qr", lambda r: (f32(r, 4, 3),), {"mode": "complete"}),
    ("solve", lambda r: (spd(r), f32(r, 3, 2)), {}),
    ("solve_triangular", lambda r: (upper(r), f32(r, 3, 2)), {}),
    ("solve_triangular", lambda r: (upper(r).T, f32(r, 3)), {"lower": True}),
    ("svd", lambda r: (f32(r, 3, 3),), {"compute_uv": False}),
    ("lstsq", lambda r: (f32(r, 5, 3), f32(r, 5, 2)), {}),
    ("lstsq", lambda r: (f32(r, 5, 3), f32(r, 5)), {"rcond": 1e-6}),
    ("matrix_rank", lambda r: (f32(r, 4, 3),), {}),
    ("pinv", lambda r: (f32(r, 4, 3),), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_linalg_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    args = make(np.random.default_rng(0))
    ours = getattr(ops.linalg, name)(*args, **kwargs)
    assert_same(ours, getattr(keras.ops.linalg, name)(*args, **kwargs), tol=1e-4)
    assert getattr(ops, name) is getattr(ops.linalg, name)


@pytest.mark.parity
def test_svd_and_eig_reconstruct_like_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(1).normal(size=(3, 3)).astype("float32")
    u, s, vh = ops.svd(x)
    assert_same(s, keras.ops.svd(x)[1], tol=1e-4)
    np.testing.assert_allclose((u * s @ vh).numpy(), x, atol=1e-4)
    values, vectors = ops.eig(x)
    theirs = keras.ops.eig(x)
    assert values.dtype == theirs[0].dtype
    assert vectors.shape == theirs[1].shape
    np.testing.assert_allclose(np.sort_complex(values.numpy()), np.sort_complex(theirs[0].numpy()),
                               atol=1e-4)  # fmt: skip


@pytest.mark.parity
def test_jvp_matches_keras():
    keras = keras_or_skip()
    primals, tangents = (torch.tensor([1.0, 2.0]),), (torch.tensor([1.0, 0.5]),)
    ours = ops.jvp(lambda x: ops.sin(x) * x, primals, tangents)
    theirs = keras.ops.jvp(lambda x: keras.ops.sin(x) * x, primals, tangents)
    assert_same(ours, theirs)
    _, tangent, aux = ops.jvp(lambda x: (x * 3, x + 1), primals, tangents, has_aux=True)
    assert tangent.tolist() == [3.0, 1.5]
    assert aux.tolist() == [2.0, 3.0]


SYMBOLIC = [
    ("cholesky", [((None, 3, 3), "float32")], {}),
    ("det", [((None, 3, 3), "float32")], {}),
    ("inv", [((None, 3, 3), "float32")], {}),
    ("eigh", [((None, 3, 3), "float32")], {}),
    ("lu_factor", [((None, 3, 3), "float32")], {}),
    ("norm", [((None, 4), "float32")], {"axis": -1}),
    ("qr", [((None, 4, 3), "float32")], {}),
    ("solve", [((None, 3, 3), "float32"), ((None, 3, 2), "float32")], {}),
    ("svd", [((None, 4, 3), "float32")], {"full_matrices": False}),
    ("pinv", [((None, 4, 3), "float32")], {}),
    ("matrix_rank", [((None, 4, 3), "float32")], {}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "specs", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_linalg_op_symbolic_matches_keras(name, specs, kwargs):
    keras = keras_or_skip()
    ours = getattr(ops.linalg, name)(*(kerastorch.KerasTensor(*s) for s in specs), **kwargs)
    theirs = getattr(keras.ops.linalg, name)(*(keras.KerasTensor(*s) for s in specs), **kwargs)
    if name == "lu_factor":  # Keras's symbolic pivots say float32, its eager ones are int32:
        theirs = (theirs[0], keras.KerasTensor(theirs[1].shape, "int32"))  # we follow eager
    assert_same_spec(ours, theirs)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ops.det(np.ones(3)), "det: .*`x` to have rank >= 2"),
        (lambda: ops.inv(np.ones((2, 3))), "inv: .*square"),
        (lambda: ops.solve(np.eye(3), np.ones((2, 1))), "solve: incompatible shapes"),
        (lambda: ops.qr(np.eye(3), mode="r"), "qr: `mode`"),
        (lambda: ops.norm(np.ones(3), axis=(0, 1, 2)), "norm: `axis`"),
        (lambda: ops.lstsq(np.ones(3), np.ones(3)), "lstsq: .*`a` to have rank 2"),
    ],
)
def test_linalg_bad_inputs_name_the_op(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_jvp_requires_tuples():
    with pytest.raises(TypeError, match="jvp: `primals` and `tangents` must be tuples"):
        ops.jvp(lambda x: x, torch.ones(1), torch.ones(1))
