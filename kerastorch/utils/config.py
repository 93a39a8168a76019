"""`Config`: a dict-like container of named values, as `keras.utils.Config`.

Values are read and set as attributes or items; `freeze()` forbids further changes, and
`to_json()` serializes the whole config.

Example:
    >>> config = Config(learning_rate=0.1, momentum=0.9)
    >>> config.use_ema = True
    >>> config["seed"] = 123
    >>> config.learning_rate, config["use_ema"], sorted(config)
    (0.1, True, ['learning_rate', 'momentum', 'seed', 'use_ema'])
    >>> config.freeze()
    >>> config.seed = 0
    Traceback (most recent call last):
    ...
    ValueError: Cannot mutate attribute(s) because the config is frozen.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterator
from typing import Any

__all__ = ["Config"]


class Config:
    """A dict-like container for named values, readable and settable as attributes.

    Args:
        **kwargs: The initial values.
    """

    __attrs__: set[str] | None = None

    def __init__(self, **kwargs: Any):
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))  # the class's own names; every other name is a value

    @property
    def frozen(self) -> bool:
        """Whether the config is frozen."""
        return self._frozen

    def freeze(self) -> None:
        """Forbid any further change."""
        self._frozen = True

    def unfreeze(self) -> None:
        """Allow changes again."""
        self._frozen = False

    def _raise_if_frozen(self) -> None:
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self) -> dict[str, Any]:
        """A shallow copy of the values as a plain dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """The values as a JSON string."""
        return json.dumps(self._config)

    def keys(self) -> Any:
        return self._config.keys()

    def values(self) -> Any:
        return self._config.values()

    def items(self) -> Any:
        return self._config.items()

    def pop(self, *args: Any) -> Any:
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname: str, value: Any = None) -> Any:
        return self._config.get(keyname, value)

    def __setattr__(self, name: str, value: Any) -> None:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name: str) -> Any:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        if name in self._config:
            return self._config[name]
        message = f"Unknown attribute: '{name}'."
        matches = difflib.get_close_matches(name, self._config.keys(), n=1, cutoff=0.7)
        if matches:
            message += f" Did you mean '{matches[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key: str, item: Any) -> None:
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key: str) -> Any:
        return self._config[key]

    def __repr__(self) -> str:
        return f"<Config {self._config}>"

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._config.keys()))

    def __len__(self) -> int:
        return len(self._config)

    def __delitem__(self, key: str) -> None:
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item: Any) -> bool:
        return item in self._config
