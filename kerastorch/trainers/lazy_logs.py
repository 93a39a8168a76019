"""The batch logs that `fit` hands to callbacks: computed and made floats on first read only.

A training step leaves its loss and metric states on the device. The logs of a batch are a
`LazyLogs` dict: until a callback reads it, no metric result is computed and the host does
not wait for the device, so a `fit` whose callbacks act per epoch synchronises once per
epoch.

Example:
    >>> import torch
    >>> logs = LazyLogs(lambda: {"loss": torch.tensor(0.5), "metrics": {"mae": 1}})
    >>> logs["loss"], sorted(logs)
    (0.5, ['loss', 'mae'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch


class LazyLogs(dict):
    """Batch logs (a `dict`) whose values are computed and made floats on first read only.

    Args:
        source: the logs (a mapping of tensors or numbers), or a function returning them.
    """

    def __init__(self, source: Mapping[str, Any] | Callable[[], Mapping[str, Any]]):
        super().__init__()
        self._source = source
        self._filled = False
        self._nested: dict[str, Any] = {}

    def _fill(self) -> None:
        if not self._filled:
            self._filled = True
            source = self._source() if callable(self._source) else self._source
            self._nested = _python_leaves(source)
            dict.update(self, pythonify_logs(self._nested))


def _reads_first(name: str) -> Any:
    method = getattr(dict, name)

    def wrapper(self: LazyLogs, *args: Any, **kwargs: Any) -> Any:
        self._fill()
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    return wrapper


for _name in (
    "__getitem__", "__iter__", "__len__", "__contains__", "__repr__", "__eq__", "__ne__",
    "__or__", "__ror__", "__ior__", "__reversed__", "keys", "values", "items", "get", "copy",
    "pop", "popitem", "setdefault", "update", "__setitem__", "__delitem__",
):  # fmt: skip
    setattr(LazyLogs, _name, _reads_first(_name))
LazyLogs.__hash__ = None  # type: ignore[assignment]


def as_batch_logs(logs: Any) -> Any:
    """A step's returned logs as callbacks receive them: `LazyLogs` (flat on first read).

    A custom `train_step` may return nested, unread results (`{m.name: m.result() for m in
    self.metrics}`, with `compile_metrics` a dict): they are flattened, as Keras does, when
    a callback or the progress bar first reads them.

    Example:
        >>> sorted(as_batch_logs({"loss": 1.0, "compile_metrics": {"mae": 2.0}}))
        ['loss', 'mae']
    """
    if isinstance(logs, LazyLogs) or not isinstance(logs, Mapping):
        return logs
    return LazyLogs(logs)


def pythonify_logs(logs: Mapping[str, Any] | None) -> dict[str, Any]:
    """Logs as Keras hands them to callbacks: flat (nested dicts merged), sorted, floats.

    Example:
        >>> import torch
        >>> pythonify_logs({"b": torch.tensor(2.0), "a": {"c": 1}})
        {'c': 1, 'b': 2.0}
    """
    if isinstance(logs, LazyLogs):
        logs = nested_logs(logs)
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, Mapping):
            result.update(pythonify_logs(value))
        else:
            result[key] = _to_python(value)
    return result


def nested_logs(logs: Mapping[str, Any] | None) -> dict[str, Any]:
    """The logs with Python values but nested dicts kept, as a step returned them.

    Keras flattens the epoch's logs once, after adding the `val_` entries, sorting the top
    level (a nested `compile_metrics` dict sorts as `compile_metrics`): `fit` builds the
    epoch's logs from these, then calls `pythonify_logs`.

    Example:
        >>> nested_logs({"loss": 1, "compile_metrics": {"mae": 2}})
        {'loss': 1, 'compile_metrics': {'mae': 2}}
    """
    if isinstance(logs, LazyLogs):
        logs._fill()
        return dict(logs._nested)
    return _python_leaves(logs)


def _python_leaves(logs: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        key: _python_leaves(value) if isinstance(value, Mapping) else _to_python(value)
        for key, value in (logs or {}).items()
    }


def _to_python(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.detach().cpu().numpy()
    return value


__all__ = ["LazyLogs", "as_batch_logs", "nested_logs", "pythonify_logs"]
