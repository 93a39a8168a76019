"""Keras's automatic names: `dense`, `dense_1`, ... per session, reset by `clear_session()`.

Example:
    >>> from kerastorch.common import naming
    >>> naming.to_snake_case("Conv2DTranspose")
    'conv2d_transpose'
"""

from __future__ import annotations

import collections
import re

_NAME_COUNTS: collections.Counter[str] = collections.Counter()


def to_snake_case(name: str) -> str:
    """`"MyDenseLayer"` -> `"my_dense_layer"`, with Keras 3's rules (`"L1L2"` -> `"l1l2"`)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(base: str) -> str:
    """Return `base` the first time it is asked for in a session, then `base_1`, `base_2`..."""
    count = _NAME_COUNTS[base]
    _NAME_COUNTS[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset_uids() -> None:
    """Forget every name handed out (called by `backend.clear_session()`)."""
    _NAME_COUNTS.clear()
