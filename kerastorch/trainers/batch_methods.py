"""`train_on_batch` / `test_on_batch` / `predict_on_batch`: one step on one batch.

`predict_on_batch` is the single-sample latency path (serving), kept short: the device
set-up (`_prepare_device`) runs only when its result would change (a new default device or
global policy, weights elsewhere, a model not built yet); a float32 C-ordered array goes to
torch as is; with the default `predict_step` and no mixed precision the input goes through
`self(x, training=False)` with gradients off, and a tensor output comes back as one NumPy
array, with no structure walks.

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
from torch import nn

from kerastorch import config
from kerastorch.common import tree
from kerastorch.trainers.data_adapters import get_data_adapter
from kerastorch.trainers.data_adapters.array_adapter import to_tensor
from kerastorch.trainers.lazy_logs import pythonify_logs
from kerastorch.trainers.step_plan import autocast_dtype
from kerastorch.trainers.trainer_steps import TrainerSteps, _first_parameter

_HALF = (torch.float16, torch.bfloat16)
# NumPy dtypes that `to_tensor` hands to `torch.from_numpy` unchanged.
_AS_IS = tuple(np.dtype(name) for name in ("float32", "float16", "int32", "int64", "uint8", "bool"))


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
        device = self._serving_device(_to_eval(self))
        if type(x) is np.ndarray and x.dtype in _AS_IS and x.flags.c_contiguous:
            batch = torch.from_numpy(x)  # what `to_tensor` makes of it, without its checks
            if device.type != "cpu":
                batch = batch.to(device)
        elif isinstance(x, (np.ndarray, torch.Tensor)):
            batch = to_tensor(x).to(device)
        else:
            batch = tree.map_structure(lambda t: None if t is None else to_tensor(t).to(device), x)
        grad_enabled = torch.is_grad_enabled()  # `no_grad()`, without its Python object
        torch._C._set_grad_enabled(False)
        try:
            plain = self._step_plan.autocast_dtype is None  # (made by `_serving_device`)
            if plain and type(self).predict_step is TrainerSteps.predict_step:
                outputs = self(batch, training=False)  # `predict_step`, without its unpacking
            else:
                outputs = self.predict_step((batch,))
        finally:
            torch._C._set_grad_enabled(grad_enabled)
        if isinstance(outputs, torch.Tensor):
            return _as_numpy(outputs)
        return tree.map_structure(_as_numpy, outputs)

    def _serving_device(self, first: torch.Tensor | None) -> torch.device:
        """`_prepare_device(metrics=False)`, skipped when it would change nothing: the step
        plan is final and made for the default device and the global policy, and the
        weights (`first`: the first parameter) are on that device."""
        device = config.default_device()
        plan = self._step_plan
        if (
            plan is None
            or not plan.built
            or plan.device != device
            or plan.autocast_dtype != autocast_dtype()
            or first is None
            or not _same_device(first.device, device)
        ):
            return self._prepare_device(metrics=False)
        return device


def keras_batch(batch: tuple[Any, Any, Any]) -> tuple[Any, ...]:
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)`, as Keras hands batches to the steps."""
    x, y, sample_weight = batch
    if sample_weight is not None:
        return x, y, sample_weight
    return (x,) if y is None else (x, y)


def _as_numpy(t: torch.Tensor) -> np.ndarray:
    """An output as NumPy; half precision (mixed precision) as float32, as `predict` does."""
    if t.device.type == "cpu" and t.dtype not in _HALF:
        return t.detach().numpy()
    return (t.float() if t.dtype in _HALF else t).detach().cpu().numpy()


def _to_eval(module: nn.Module) -> torch.Tensor | None:
    """`_set_training_mode(False)` (each module's own `train` where it has one) and, in the
    same walk, the first parameter in `parameters()` order (`_device_of_weights`'s)."""
    if type(module).train is not nn.Module.train:
        module.train(False)
        return _first_parameter(module)
    if module.training:
        module.__dict__["training"] = False
    first = None
    for parameter in module._parameters.values():
        if parameter is not None:
            first = parameter
            break
    for child in module._modules.values():
        if child is not None:
            found = _to_eval(child)
            first = found if first is None else first
    return first


def _same_device(current: torch.device, device: torch.device) -> bool:
    """Whether weights on `current` are on `device` (`"cuda"`: the current CUDA device)."""
    if current == device:
        return True
    if device.index is not None or current.type != device.type:
        return False
    return device.type == "cuda" and current.index == torch.cuda.current_device()


__all__ = ["BatchMethods", "keras_batch"]
