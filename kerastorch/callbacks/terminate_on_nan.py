"""`TerminateOnNaN`: stop training as soon as the loss becomes NaN or infinite.

It reads the loss after every training batch, which synchronises the device once per step
(unavoidable: the decision is made per batch, as in Keras).

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x = np.array([[1.0], [np.nan], [1.0], [1.0]])
    >>> history = model.fit(x, np.ones(4), batch_size=1, epochs=3, shuffle=False,
    ...                     verbose=0, callbacks=[keras.callbacks.TerminateOnNaN()])
    Batch 1: Invalid loss, terminating training
    >>> len(history.history["loss"])
    1
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch.callbacks.callback import Callback
from kerastorch.common.progbar import print_msg


class TerminateOnNaN(Callback):
    """Stop training when a batch's loss is NaN or infinite.

    Args:
        raise_error: raise a `RuntimeError` at that batch instead of setting
            `model.stop_training` (which still runs the rest of the epoch's callbacks).
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs: Any = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or not (np.isnan(loss) or np.isinf(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                "Terminating training immediately."
            )
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
