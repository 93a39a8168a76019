"""`train_on_batch` / `test_on_batch` / `predict_on_batch`: one step on one batch.

`predict_on_batch` is the single-sample latency path (serving), kept short: with the
default `predict_step` and no mixed precision, an array or tensor input goes to the device
and through `self(x, training=False)` under `no_grad`, and a tensor output comes back as
one NumPy array, with no structure walks.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.predict_on_batch(np.ones((1, 3))).shape
    (1, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.common import tree
from kerastorch.trainers.data_adapters import get_data_adapter
from kerastorch.trainers.data_adapters.array_adapter import to_tensor
from kerastorch.trainers.lazy_logs import pythonify_logs
from kerastorch.trainers.trainer_steps import TrainerSteps

_HALF = (torch.float16, torch.bfloat16)


class BatchMethods(TrainerSteps):
    """The `*_on_batch` methods of `Trainer` (mixed into `Model` through it)."""

    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict[int, float] | None = None,
        return_dict: bool = False,
    ) -> Any:
        """One training step on one batch; returns the loss and metrics (not averaged)."""
        self._assert_compiled()
        device = self._prepare_device()
        data = get_data_adapter(x, y, sample_weight, None, False, class_weight, device=device)
        batch = data.first_batch() if not hasattr(data, "data") else data.data
        batch = tree.map_structure(lambda t: None if t is None else t.to(device), batch)
        self._build_for(batch)
        self.reset_metrics()
        self._set_training_mode(True)
        logs = pythonify_logs(self.train_step(keras_batch(batch)))
        self._set_training_mode(False)
        return logs if return_dict else self._flatten_in_order(logs)

    def test_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ) -> Any:
        """Evaluate one batch; returns the loss and metrics."""
        self._assert_compiled()
        device = self._prepare_device()
        data = get_data_adapter(x, y, sample_weight, None, False, device=device)
        batch = data.data if hasattr(data, "data") else data.first_batch()
        batch = tree.map_structure(lambda t: None if t is None else t.to(device), batch)
        self._build_for(batch)
        self.reset_metrics()
        self._set_training_mode(False)
        with torch.no_grad():
            logs = pythonify_logs(self.test_step(keras_batch(batch)))
        return logs if return_dict else self._flatten_in_order(logs)

    def predict_on_batch(self, x: Any) -> Any:
        """The outputs for one batch, as NumPy arrays."""
        device = self._prepare_device(metrics=False)
        if isinstance(x, (np.ndarray, torch.Tensor)):
            batch = to_tensor(x).to(device)
        else:
            batch = tree.map_structure(lambda t: None if t is None else to_tensor(t).to(device), x)
        self._set_training_mode(False)
        with torch.no_grad():
            plain = self._step_plan.autocast_dtype is None  # (made by `_prepare_device`)
            if plain and type(self).predict_step is TrainerSteps.predict_step:
                outputs = self(batch, training=False)  # `predict_step`, without its unpacking
            else:
                outputs = self.predict_step((batch,))
        if isinstance(outputs, torch.Tensor):
            return _as_numpy(outputs)
        return tree.map_structure(_as_numpy, outputs)


def keras_batch(batch: tuple[Any, Any, Any]) -> tuple[Any, ...]:
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)`, as Keras hands batches to the steps."""
    x, y, sample_weight = batch
    if sample_weight is not None:
        return x, y, sample_weight
    return (x,) if y is None else (x, y)


def _as_numpy(t: torch.Tensor) -> np.ndarray:
    """An output as NumPy; half precision (mixed precision) as float32, as `predict` does."""
    return (t.float() if t.dtype in _HALF else t).detach().cpu().numpy()


__all__ = ["BatchMethods", "keras_batch"]
