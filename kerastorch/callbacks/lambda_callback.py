"""`LambdaCallback`: a callback built from plain functions.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> seen = []
    >>> callback = keras.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[callback], verbose=0)
    >>> seen
    [0, 1]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerastorch.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Call the given functions at the matching hooks.

    Args:
        on_epoch_begin, on_epoch_end: `f(epoch, logs)`.
        on_train_begin, on_train_end: `f(logs)`.
        on_train_batch_begin, on_train_batch_end: `f(batch, logs)`.
        **kwargs: any other hook by name (`on_test_begin=f`, `on_predict_batch_end=f`, ...),
            as in Keras.

    Logs are passed through unread: batch logs cost a synchronisation only if a given
    function reads them.
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs: Any,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        given = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for hook, function in given.items():
            if function is not None:
                setattr(self, hook, function)

    # `CallbackList` dispatches batch hooks only to classes that override them; these keep the
    # base behaviour, and a function given for a hook (an instance attribute) takes precedence.
    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
        pass

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        pass

    def on_predict_batch_begin(self, batch: int, logs: Any = None) -> None:
        pass

    def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
        pass
