"""`Identity`: returns its inputs unchanged (a placeholder layer).

Example:
    >>> import torch
    >>> x = torch.ones(2, 3)
    >>> Identity()(x) is x
    True
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.layer import Layer


class Identity(Layer):
    """Identity layer: `call` returns `inputs` itself (any structure), masks included.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> Identity()(keras.Input((3,), dtype="int32")).dtype
        'int32'
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs
