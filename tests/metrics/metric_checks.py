"""One harness for the metric parity tests: the same batches through kerastorch and Keras.

`check_metric_parity(name, kwargs, batches)` builds `kerastorch.metrics.<name>(**kwargs)` and
`keras.metrics.<name>(**kwargs)` (fresh Keras session, so both get the same auto name), feeds
both the same batches, and compares `result()` after every update, the state variables (names,
paths, shapes, values), `reset_state()`, and `get_config()` / `from_config()` both ways.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from kerastorch import metrics
from tests.oracle import assert_close, keras_or_skip, to_numpy

Batch = tuple[tuple[Any, ...], dict[str, Any]]


def plain(value: Any) -> Any:
    """A config value as plain Python (tensors and NumPy scalars become lists and floats)."""
    if isinstance(value, dict):
        if value.get("class_name") in ("__tensor__", "__numpy__"):
            return plain(value["config"]["value"])  # how Keras serializes a tensor value
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        return plain(to_numpy(value).tolist())
    if isinstance(value, float):
        return float(np.float32(value))  # Keras keeps some config values as float32 tensors
    return value


def as_torch(x: Any) -> Any:
    return torch.from_numpy(x) if isinstance(x, np.ndarray) else x


def check_metric_parity(
    name: str,
    kwargs: dict[str, Any],
    batches: list[Batch],
    atol: float = 1e-6,
    rtol: float = 1e-6,
    extra_config: dict[str, Any] | None = None,
) -> metrics.Metric:
    """Run both metrics over `batches`, comparing as described above; return ours."""
    keras = keras_or_skip()
    keras.backend.clear_session(free_memory=False)
    ours = getattr(metrics, name)(**kwargs)
    ref = getattr(keras.metrics, name)(**kwargs)
    for args, kw in batches:
        ours.update_state(*[as_torch(a) for a in args], **{k: as_torch(v) for k, v in kw.items()})
        ref.update_state(*args, **kw)
        result = ours.result()
        assert isinstance(result, torch.Tensor)
        assert_close(result, ref.result(), atol=atol, rtol=rtol)
    assert [v.path for v in ours.variables] == [v.path for v in ref.variables]
    assert [v.shape for v in ours.variables] == [tuple(v.shape) for v in ref.variables]
    assert_close(
        [v.numpy() for v in ours.variables], [to_numpy(v) for v in ref.variables], atol, rtol
    )

    ours.reset_state()
    ref.reset_state()
    with warnings.catch_warnings():  # e.g. adjusted R2 on zero samples warns, in both
        warnings.simplefilter("ignore", UserWarning)
        assert_close(ours.result(), ref.result())
    assert all(not v.numpy().any() for v in ours.variables)

    config = plain(ours.get_config())
    assert config == {**plain(ref.get_config()), **(extra_config or {})}
    assert plain(type(ours).from_config(ours.get_config()).get_config()) == config
    # A config written by kerastorch loads in Keras, and the other way round.
    assert plain(type(ref).from_config(ours.get_config()).get_config()) == plain(ref.get_config())
    if not extra_config:  # Keras's config lacks the extra keys: no full round trip from it
        assert plain(type(ours).from_config(ref.get_config()).get_config()) == config
    return ours


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def probs(r: np.random.Generator, *shape: int) -> np.ndarray:
    """Rows of probabilities (softmax of normal noise), float32."""
    x = r.normal(size=shape).astype("float32")
    e = np.exp(x - x.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


def uniform(r: np.random.Generator, *shape: int) -> np.ndarray:
    return r.uniform(size=shape).astype("float32")


def labels(r: np.random.Generator, high: int, *shape: int) -> np.ndarray:
    return r.integers(0, high, size=shape).astype("int64")


def one_hot(y: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k, dtype="float32")[y]


def weights(r: np.random.Generator, *shape: int) -> np.ndarray:
    return r.uniform(0, 2, size=shape).astype("float32")
