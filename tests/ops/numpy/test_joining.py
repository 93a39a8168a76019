"""Oracle tests for `kerastorch/ops/numpy/joining.py`."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.numpy.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip, to_numpy


def arr(r, *shape, dtype="float32"):
    if dtype.startswith("int"):
        return r.integers(-5, 5, size=shape).astype(dtype)
    return r.normal(size=shape).astype(dtype)


CASES = [
    ("concatenate", lambda r: ([arr(r, 2, 3), arr(r, 2, 1)],), {"axis": -1}),
    ("concatenate", lambda r: ([arr(r, 1, 3), arr(r, 2, 3, dtype="int32")],), {}),
    (
        "concatenate",
        lambda r: ([arr(r, 2, 2, dtype="int8"), arr(r, 2, 2, dtype="int16")],),
        {"axis": 1},
    ),
    ("stack", lambda r: ([arr(r, 2, 3), arr(r, 2, 3)],), {}),
    ("stack", lambda r: ([arr(r, 2, dtype="int32"), arr(r, 2, dtype="float16")],), {"axis": -1}),
    ("append", lambda r: (arr(r, 2, 3), arr(r, 3)), {}),
    ("append", lambda r: (arr(r, 2, 3, dtype="int32"), arr(r, 1, 3)), {"axis": 0}),
    ("hstack", lambda r: ([arr(r, 2, 3), arr(r, 2, 1)],), {}),
    ("hstack", lambda r: ([arr(r, 3, dtype="int32"), arr(r, 2, dtype="int32")],), {}),
    ("vstack", lambda r: ([arr(r, 3), arr(r, 2, 3)],), {}),
    ("dstack", lambda r: ([arr(r, 2, 3), arr(r, 2, 3, dtype="int32")],), {}),
    ("dstack", lambda r: ([arr(r, 3), arr(r, 3)],), {}),
    ("meshgrid", lambda r: (arr(r, 3), arr(r, 2)), {}),
    (
        "meshgrid",
        lambda r: (arr(r, 3, dtype="int32"), arr(r, 2, dtype="int32"), arr(r, 4, dtype="int32")),
        {"indexing": "ij"},
    ),
    ("split", lambda r: (arr(r, 4, 3), 2), {}),
    ("split", lambda r: (arr(r, 2, 6, dtype="int32"), [1, 4]), {"axis": 1}),
    ("array_split", lambda r: (arr(r, 5, 2), 3), {}),
    ("array_split", lambda r: (arr(r, 2, 7), 3), {"axis": -1}),
    ("hsplit", lambda r: (arr(r, 2, 4), 2), {}),
    ("hsplit", lambda r: (arr(r, 6), [1, 3]), {}),
    ("vsplit", lambda r: (arr(r, 4, 2), 2), {}),
    ("dsplit", lambda r: (arr(r, 2, 2, 4), [1]), {}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_joining_op_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, name, make(np.random.default_rng(0)), kwargs)


# Keras's symbolic hstack/vstack reject 1-D tensors; its symbolic meshgrid is always float.
SYMBOLIC = [c for i, c in enumerate(CASES) if i not in (8, 9, 13)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_joining_op_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_split_at_indices_matches_numpy():
    x = np.arange(14).reshape(2, 7)
    for ours, expected in zip(
        ops.array_split(x, [2, 3], axis=-1), np.array_split(x, [2, 3], axis=-1), strict=True
    ):
        np.testing.assert_array_equal(ours.numpy(), expected)
    grids = ops.meshgrid(
        kerastorch.KerasTensor((3,), "int32"), kerastorch.KerasTensor((2,), "int32")
    )
    assert [(g.shape, g.dtype) for g in grids] == [((2, 3), "int32")] * 2
    assert ops.hstack([kerastorch.KerasTensor((3,)), kerastorch.KerasTensor((2,))]).shape == (5,)


def test_concatenate_config_matches_keras():
    a = kerastorch.Input((3,))
    y = ops.concatenate([a, a], axis=-1)
    layer = y._keras_history.layer
    assert y.shape == (None, 6)
    assert type(layer).__name__ == "Concatenate"
    assert layer.get_config() == {"name": layer.name, "axis": -1}


def test_bad_inputs_name_the_op():
    with pytest.raises(
        ValueError, match=r"concatenate: all tensors must have the same shape except on axis 1"
    ):
        ops.concatenate([np.ones((2, 3)), np.ones((3, 3))], axis=1)
    with pytest.raises(ValueError, match="concatenate"):
        ops.concatenate([kerastorch.KerasTensor((None, 3)), kerastorch.KerasTensor((None, 2, 3))])
    with pytest.raises(ValueError, match="stack: all tensors must have the same shape"):
        ops.stack([np.ones((2,)), np.ones((3,))])
    with pytest.raises(ValueError, match="split: 3 sections do not divide axis 0 of size 4"):
        ops.split(np.ones((4,)), 3)
    with pytest.raises(ValueError, match="vsplit: `x` must have rank >= 2"):
        ops.vsplit(np.ones((4,)), 2)


def _graph(lib, einsum=True):
    a = lib.Input((2, 3), name="a")
    joined = lib.ops.concatenate([a, lib.ops.flip(a, axis=-1)], axis=-1)  # (None, 2, 6)
    flat = lib.ops.reshape(joined, (-1, 12))
    turned = lib.ops.transpose(joined, (0, 2, 1))  # (None, 6, 2)
    stacked = lib.ops.stack([turned, turned], axis=1)  # (None, 2, 6, 2)
    if not einsum:
        return lib.Model(a, [flat, stacked])
    mixed = lib.ops.einsum("bkij,bj->bki", stacked, lib.ops.take(flat, [0, 5], axis=1))
    return lib.Model(a, [flat, mixed])


def _save_and_load(model, path, load):
    x = np.random.default_rng(0).normal(size=(4, 2, 3)).astype("float32")
    expected = model(x)
    model.save(path)
    for ours, theirs in zip(expected, load(path)(x), strict=True):
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-5, atol=1e-5)


def test_functional_model_with_einsum_saves_and_loads(tmp_path):
    _save_and_load(_graph(kerastorch), str(tmp_path / "ops.keras"), kerastorch.saving.load_model)


@pytest.mark.parity
def test_functional_model_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    model = _graph(kerastorch)
    _save_and_load(model, str(tmp_path / "ops.keras"), keras.saving.load_model)
    ours_config = {
        layer["class_name"]: (layer["module"], sorted(layer["config"]))
        for layer in _graph(kerastorch).get_config()["layers"]
    }
    reference = _graph(keras)
    theirs_config = {
        layer["class_name"]: (layer["module"], sorted(layer["config"]))
        for layer in reference.get_config()["layers"]
    }
    assert ours_config == theirs_config
    assert ours_config["Concatenate"] == ("keras.src.ops.numpy", ["axis", "name"])
