"""`LossFunctionWrapper` (a `Loss` from a per-sample function) and `BuiltinLoss`.

Every built-in loss class is a `BuiltinLoss`: a `LossFunctionWrapper` around one loss
function whose arguments are its attributes and its config, as in Keras.

Example:
    >>> import torch
    >>> loss = LossFunctionWrapper(lambda y_true, y_pred: (y_pred - y_true).abs().mean(-1))
    >>> float(loss(torch.zeros(2, 2), torch.ones(2, 2)))
    1.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.losses.lookup import deserialize, serialize
from kerastorch.losses.loss import Loss, squeeze_or_expand_to_same_rank

Tensor = torch.Tensor

# Per-sample functions whose mean over every element is one torch kernel (`Loss._whole_mean`):
# `mean(f(y_true, y_pred), axis=-1)` reduced over the batch is that mean, to rounding.
WHOLE_MEANS: dict[Callable[..., Tensor], Callable[[Tensor, Tensor], Tensor]] = {}
# Per-sample functions that take integer labels as they are (`Loss._integer_labels`), whether
# wrapped by their class or by `compile(loss="<name>")`: no float round trip of the labels.
INTEGER_LABELS: set[Callable[..., Tensor]] = set()


class LossFunctionWrapper(Loss):
    """A `Loss` from a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.

    Before calling `fn`, a trailing axis of size 1 is squeezed or added so that `y_true`
    and `y_pred` have the same rank (`(N,)` against `(N, 1)` becomes `(N, 1)` for both).

    Example:
        >>> import torch
        >>> from kerastorch.losses import huber
        >>> loss = LossFunctionWrapper(huber, delta=0.5)
        >>> round(float(loss(torch.zeros(1, 2), torch.tensor([[1.0, 0.2]]))), 4)
        0.1975
    """

    _keras_module = "keras.src.losses.losses"
    # Keras writes this class (only this one, not its subclasses) with its registered name.
    _keras_registered_name = "LossFunctionWrapper"

    def __init__(
        self,
        fn: Callable[..., Tensor],
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        self._integer_labels = fn in INTEGER_LABELS
        if not kwargs and type(self).call is LossFunctionWrapper.call:
            self._whole_mean = WHOLE_MEANS.get(fn)

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        if isinstance(y_true, Tensor) and isinstance(y_pred, Tensor):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        else:  # matching structures of tensors (custom losses on several outputs)
            pairs = [
                squeeze_or_expand_to_same_rank(t, p)
                for t, p in zip(tree.flatten(y_true), tree.flatten(y_pred), strict=True)
            ]
            y_true = tree.pack_sequence_as(y_true, [t for t, _ in pairs])
            y_pred = tree.pack_sequence_as(y_pred, [p for _, p in pairs])
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LossFunctionWrapper:
        config = dict(config)
        if isinstance(config.get("fn"), (dict, str)):
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.fn.__name__}, kwargs={self._fn_kwargs})>"


class BuiltinLoss(LossFunctionWrapper):
    """A built-in loss: serialized as `keras.losses.<ClassName>`; its arguments are attributes
    (`loss.from_logits`, `loss.axis`, ...) and its config, as in Keras."""

    _keras_module = "keras.losses"
    _config_keys: tuple[str, ...] = ()

    def __init__(self, fn: Callable[..., Tensor], **kwargs: Any):
        super().__init__(fn, **kwargs)
        for key in self._config_keys:
            setattr(self, key, self._fn_kwargs[key])

    def get_config(self) -> dict[str, Any]:
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config
