"""The per-batch half of `Trainer`: the loss, the metrics and the three steps, and the
set-up that runs before the first step (device, build, optimizer, compiled losses).

`train_step` = `self(x, training=True)` -> `compute_loss` (compiled losses + `self.losses`)
-> `backward()` -> `optimizer.step()` (foreach kernels) -> the compiled metrics' states.
Losses and metric states stay on the device; the logs it returns are `LazyLogs`, made
Python floats only when a callback reads them.

Example:
    >>> import torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> logs = model.train_on_batch(torch.ones(4, 3), torch.ones(4, 1), return_dict=True)
    >>> sorted(logs)
    ['loss']
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from kerastorch import config
from kerastorch.common import tree
from kerastorch.metrics.metric import Metric
from kerastorch.metrics.reduction_metrics import Mean
from kerastorch.trainers.compile_utils import flatten_outputs, flatten_targets, output_names_of
from kerastorch.trainers.compiled_step import compiled_steps
from kerastorch.trainers.data_adapters import unpack_batch
from kerastorch.trainers.data_checks import check_batch, input_specs, output_specs
from kerastorch.trainers.lazy_logs import LazyLogs
from kerastorch.trainers.step_plan import NO_AUTOCAST, StepPlan, autocast_dtype


class TrainerSteps:
    """What `Trainer` does with one batch (mixed into `Model` through `Trainer`)."""

    # Made before a loop's first step (`_prepare_device`, `_build_for`); see step_plan.py.
    _step_plan: StepPlan | None = None

    # -------------------------------------------------------------------------------------
    # metrics
    # -------------------------------------------------------------------------------------
    @property
    def metrics(self) -> list[Any]:
        """Keras's order: loss tracker, `compile_metrics`, per-output losses, own metrics.

        `compile_metrics` holds every compiled metric (its `result()` is a dict); metrics
        assigned as attributes of the model (`self.tracker = keras.metrics.Mean()`) follow.
        """
        result: list[Any] = []
        # A loaded model whose custom `compile()` was not run is `compiled` without trackers.
        tracker = getattr(self, "_loss_tracker", None)
        if getattr(self, "compiled", False) and tracker is not None:
            result.append(tracker)
            if self._compile_metrics is not None:
                result.append(self._compile_metrics)
            if self._compile_loss is not None:
                result += self._compile_loss.metrics
        return result + [m for m in self._modules.values() if isinstance(m, Metric)]

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    # -------------------------------------------------------------------------------------
    # the steps (overridable, as in Keras 3)
    # -------------------------------------------------------------------------------------
    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        """The total loss: compiled losses of each output plus `self.losses`."""
        total = None
        if self._compile_loss is not None and y is not None:
            total = self._compile_loss(
                self._flat_targets(y), flatten_outputs(y_pred), self._flat_weights(sample_weight)
            )
        extra = self.losses
        if extra:
            # `add_loss` may receive Python numbers: add them to the tensors as they come
            # (stacking would put them on the CPU, beside CUDA tensors).
            terms = [v.sum() if isinstance(v, torch.Tensor) else v for v in extra]
            regularization = sum(terms[1:], terms[0])
            total = regularization if total is None else total + regularization
        if total is not None and not isinstance(total, torch.Tensor):
            total = torch.as_tensor(total, dtype=torch.float32, device=self._train_device)
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def compute_metrics(
        self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None
    ) -> dict[str, Any]:
        """Update the compiled metrics with a batch; return the metrics' current results."""
        if y is not None and self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, Any]:
        """`{name: result}` for every metric, dict results merged (tensors: read to sync)."""
        results: dict[str, Any] = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                results.update(result)
            else:
                results[metric.name] = result
        return results

    def train_step(self, data: Any) -> Any:
        """One optimisation step on a batch `(x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = unpack_batch(data)
        if self.jit_compile and compiled_steps(self).trains_whole_step:
            # forward, loss, gradients and update: one compiled graph (compiled_step.py)
            y_pred, loss = self._compiled_forward.train(x, y, sample_weight)
        else:
            with self._autocast():
                y_pred, loss = self._forward_and_loss(x, y, sample_weight, training=True)
            self._apply_gradients(loss)
        _track_loss(self._loss_tracker, loss.detach(), _batch_size(x))
        return self._lazy_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data: Any) -> Any:
        """One evaluation step on a batch; returns the logs."""
        x, y, sample_weight = unpack_batch(data)
        return self._test_unpacked(x, y, sample_weight)

    def _test_unpacked(self, x: Any, y: Any, sample_weight: Any) -> Any:
        """`test_step` on a batch already unpacked (what the evaluation loop calls while
        `test_step` is the default one)."""
        with self._autocast():
            y_pred, loss = self._forward_and_loss(x, y, sample_weight, training=False)
        _track_loss(self._loss_tracker, loss, _batch_size(x))
        return self._lazy_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for a batch."""
        x, _, _ = unpack_batch(data)
        with self._autocast():
            return self(x, training=False)

    def _lazy_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any) -> Any:
        if y is not None and self._compile_metrics is not None:
            flat_pred = [p.detach() for p in flatten_outputs(y_pred)]
            self._compile_metrics.update_flat(
                self._flat_targets(y), flat_pred, self._flat_weights(sample_weight)
            )
        return LazyLogs(self.get_metrics_result)

    def _forward_and_loss(self, x: Any, y: Any, sample_weight: Any, training: bool) -> Any:
        """`(y_pred, loss)`; with `jit_compile=True`, forward and loss are one compiled graph
        (whose backward AOTAutograd compiles too)."""
        if self.jit_compile:
            return compiled_steps(self).forward_and_loss(x, y, sample_weight, training)
        return self._eager_forward_and_loss(x, y, sample_weight, training)

    def _eager_forward_and_loss(
        self, x: Any, y: Any, sample_weight: Any, training: bool
    ) -> tuple[Any, torch.Tensor]:
        y_pred = self(x, training=training)
        return y_pred, self.compute_loss(x, y, y_pred, sample_weight, training=training)

    def _apply_gradients(self, loss: torch.Tensor) -> None:
        variables = self._trainable_for_step
        if not variables or not loss.requires_grad:
            return
        self.optimizer.zero_grad()
        # `scale_loss` multiplies by `loss_scale_factor`, or by a LossScaleOptimizer's
        # dynamic scale (mixed_float16); the optimizer unscales and skips overflowed steps.
        self.optimizer.scale_loss(loss).backward()
        self.optimizer.step()

    def _autocast(self) -> Any:
        plan = self._step_plan
        if plan is not None:
            return NO_AUTOCAST if plan.autocast_dtype is None else plan.autocast()
        dtype = autocast_dtype()  # a step called outside fit/evaluate/predict
        if dtype is None:
            return NO_AUTOCAST
        return torch.autocast(self._train_device.type, dtype=dtype)

    def _output_names(self) -> list[str]:
        plan = self._step_plan
        return plan.output_names if plan is not None else output_names_of(self)

    def _flat_targets(self, y: Any) -> list[Any]:
        plan = self._step_plan
        if isinstance(y, torch.Tensor) and plan is not None and len(plan.output_names) == 1:
            return [y]  # the common case, without the general alignment
        return flatten_targets(y, self._output_names())

    def _flat_weights(self, sample_weight: Any) -> list[Any]:
        if sample_weight is None and self._step_plan is not None:
            return [None] * len(self._step_plan.output_names)
        return flatten_targets(sample_weight, self._output_names(), "sample weights")

    def _set_training_mode(self, mode: bool) -> None:
        """`self.train(mode)`, setting the flag directly on modules that keep `nn.Module`'s
        `train` (which would go through `__setattr__` once per module)."""
        _set_mode(self, mode)

    # -------------------------------------------------------------------------------------
    # set-up before the first step
    # -------------------------------------------------------------------------------------
    def _prepare_device(self, metrics: bool = True) -> torch.device:
        """Move the model (and, unless `metrics=False`, its metrics) to the default device;
        make the step plan."""
        device = config.default_device()
        current = self._device_of_weights()
        if current is None or current != device:
            self.to(device)
        if metrics:
            for metric in self.metrics:
                metric.to(device)
        self.__dict__["_train_device"] = device  # (a device: what `__setattr__` would do)
        self._refresh_plan(device)
        return device

    def _refresh_plan(self, device: torch.device) -> None:
        """Make the step plan; keep the old object when nothing changed (a compiled step
        guards on it: a new object would recompile it)."""
        old = self._step_plan
        if (
            old is not None
            and old.built  # the output names are fixed once the model is built
            and old.device == device
            and old.autocast_dtype == autocast_dtype()
        ):
            return
        plan = StepPlan(self, device)
        if old is None or plan.key() != old.key():
            self.__dict__["_step_plan"] = plan
        else:
            old.built = plan.built

    def _device_of_weights(self) -> torch.device | None:
        tensor = _first_parameter(self)
        return None if tensor is None else tensor.device

    def _build_for(self, batch: Any) -> None:
        """Build the model (and the optimizer) from a first batch, checking the data first."""
        x, y, _ = unpack_batch(batch)
        if not self.built:
            self._symbolic_build(x)
        check_batch(self, x, y)
        self._build_compiled(x, y)
        optimizer = getattr(self, "optimizer", None)
        variables = self.trainable_weights
        if optimizer is not None and not optimizer.built:
            self.to(self._train_device)
            optimizer.build(variables)
        self._trainable_for_step = variables
        self._refresh_plan(self._train_device)  # the model is built now

    def _build_compiled(self, x: Any, y: Any) -> None:
        """Resolve the compiled losses and metrics before the first step, as Keras does."""
        loss, metrics = (
            getattr(self, "_compile_loss", None),
            getattr(self, "_compile_metrics", None),
        )
        if y is None or all(c is None or c.built for c in (loss, metrics)):
            return
        flat_pred, flat_true = output_specs(self, x), self._flat_targets(y)
        for compiled in (loss, metrics):
            if compiled is not None and not compiled.built:
                compiled.build(flat_true, flat_pred, self._train_device)

    def _symbolic_build(self, x: Any) -> None:
        if self.operations is not None:
            # A graph model still without its graph (a `Sequential` with no input shape):
            # built from the shape of its (single) input.
            self.build((None, *tuple(tree.flatten(x)[0].shape)[1:]))
        else:
            # A subclassed model: trace `call` on the batch's shapes and dtypes.
            self.built = True
            self.compute_output_spec(input_specs(x))
        self.to(self._train_device)


def _track_loss(tracker: Mean, loss: torch.Tensor, batch_size: int) -> None:
    """`tracker.update_state(loss, sample_weight=batch_size)` for a scalar loss, as two
    in-place device additions (it runs at every step)."""
    total = tracker.total.tensor
    if loss.ndim or loss.dtype != total.dtype:
        tracker.update_state(loss, sample_weight=batch_size)
        return
    total.add_(loss if loss.device == total.device else loss.to(total.device), alpha=batch_size)
    tracker.count.assign_add(batch_size)


def _set_mode(module: nn.Module, mode: bool) -> None:
    if type(module).train is not nn.Module.train:
        module.train(mode)  # its own `train` (which sets its children's mode too)
        return
    if module.training != mode:
        module.__dict__["training"] = mode
    for child in module._modules.values():
        if child is not None:
            _set_mode(child, mode)


def _first_parameter(module: nn.Module) -> torch.Tensor | None:
    """`next(module.parameters(), None)`, in `parameters()`'s order, without its generators."""
    for parameter in module._parameters.values():
        if parameter is not None:
            return parameter
    for child in module._modules.values():
        found = None if child is None else _first_parameter(child)
        if found is not None:
            return found
    return None


def _batch_size(x: Any) -> int:
    if isinstance(x, torch.Tensor):
        return x.shape[0]
    return int(tree.flatten(x)[0].shape[0])


__all__ = ["TrainerSteps"]
