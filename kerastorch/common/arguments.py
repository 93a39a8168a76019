"""Keyword checks with Keras's message: an unknown keyword names its close match.

Example:
    >>> check_kwargs("fit()", {"epoch": 3}, ("epochs", "batch_size"))
    Traceback (most recent call last):
    ...
    TypeError: Unrecognized keyword arguments passed to fit(): 'epoch' (did you mean 'epochs'?)
"""

from __future__ import annotations

import difflib
from typing import Any


def check_kwargs(
    owner: str, kwargs: dict[str, Any], allowed: tuple[str, ...], known: tuple[str, ...] = ()
) -> None:
    """Raise Keras's TypeError for unknown keywords, suggesting the close match.

    `known` adds names to suggest from (e.g. the caller's own arguments).
    """
    unknown = [key for key in kwargs if key not in allowed]
    if not unknown:
        return
    hints = []
    for key in unknown:
        match = difflib.get_close_matches(key, (*allowed, *known), n=1)
        hints.append(f"'{key}' (did you mean '{match[0]}'?)" if match else f"'{key}'")
    raise TypeError(f"Unrecognized keyword arguments passed to {owner}: {', '.join(hints)}")
