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

    def _fill(self) -> None:
        if not self._filled:
            self._filled = True
            source = self._source() if callable(self._source) else self._source
            dict.update(self, pythonify_logs(source))


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


def pythonify_logs(logs: Mapping[str, Any] | None) -> dict[str, Any]:
    """Logs as Keras hands them to callbacks: flat (nested dicts merged), sorted, floats.

    Example:
        >>> import torch
        >>> pythonify_logs({"b": torch.tensor(2.0), "a": {"c": 1}})
        {'c': 1, 'b': 2.0}
    """
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, Mapping):
            result.update(pythonify_logs(value))
        else:
            result[key] = _to_python(value)
    return result


def _to_python(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.detach().cpu().numpy()
    return value


__all__ = ["LazyLogs", "pythonify_logs"]
