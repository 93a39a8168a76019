"""Random inputs for the loss tests: one generator per kind of target, all float32/int64."""

from __future__ import annotations

import numpy as np

Arrays = tuple[np.ndarray, np.ndarray]


def _rng(shape: tuple[int, ...]) -> np.random.Generator:
    return np.random.default_rng(sum(shape) * 7 + len(shape))


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype("float32")


def regression(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return rng.normal(size=shape).astype("float32"), rng.normal(size=shape).astype("float32")


def positive(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return (
        rng.uniform(0.0, 3.0, size=shape).astype("float32"),
        rng.uniform(0.1, 3.0, size=shape).astype("float32"),
    )


def binary(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return (
        rng.integers(0, 2, size=shape).astype("float32"),
        rng.uniform(0.02, 0.98, size=shape).astype("float32"),
    )


def binary_logits(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return rng.integers(0, 2, size=shape).astype("float32"), 3 * rng.normal(size=shape).astype(
        "float32"
    )


def plus_minus_one(shape: tuple[int, ...]) -> Arrays:
    y_true, _ = binary(shape)
    return 2 * y_true - 1, regression(shape)[1]


def zero_one_hinge(shape: tuple[int, ...]) -> Arrays:
    return binary(shape)[0], regression(shape)[1]


def one_hot(shape: tuple[int, ...], axis: int = -1, logits: bool = False) -> Arrays:
    rng = _rng(shape)
    classes = shape[axis]
    idx = rng.integers(0, classes, size=shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :])
    y_true = np.moveaxis(np.eye(classes, dtype="float32")[idx], -1, axis)
    raw = rng.normal(size=shape).astype("float32")
    # Unnormalised positive scores: Keras renormalises probabilities along the class axis.
    y_pred = 2 * raw if logits else rng.uniform(0.05, 1.0, size=shape).astype("float32")
    return y_true, y_pred


def one_hot_logits(shape: tuple[int, ...]) -> Arrays:
    return one_hot(shape, logits=True)


def sparse(shape: tuple[int, ...], axis: int = -1, logits: bool = False) -> Arrays:
    y_true_one_hot, y_pred = one_hot(shape, axis, logits)
    return np.argmax(y_true_one_hot, axis=axis).astype("int64"), y_pred


def sparse_logits(shape: tuple[int, ...]) -> Arrays:
    return sparse(shape, logits=True)


def distribution(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return _softmax(rng.normal(size=shape)), _softmax(rng.normal(size=shape))


def segmentation(shape: tuple[int, ...]) -> Arrays:
    return binary(shape)


def ctc(shape: tuple[int, ...]) -> Arrays:
    batch, _, classes = shape
    rng = _rng(shape)
    labels = rng.integers(1, classes, size=(batch, 3)).astype("int64")
    labels[0, 2] = 0  # padding: a shorter label sequence
    return labels, rng.normal(size=shape).astype("float32")


def embeddings(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    x = rng.normal(size=shape).astype("float32")
    x /= np.linalg.norm(x, axis=-1, keepdims=True)
    return rng.integers(0, 3, size=shape[:1]).astype("int64"), x


def integer_labels(shape: tuple[int, ...]) -> Arrays:
    rng = _rng(shape)
    return rng.integers(0, shape[-1], size=shape[:-1]).astype("int64"), _softmax(
        rng.normal(size=shape)
    )
