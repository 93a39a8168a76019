"""`Trainer`: Keras's `compile` / `fit` / `evaluate` / `predict`, as a plain PyTorch loop.

What one `fit` epoch does (array data, the common case):

    batches = index views of tensors moved to the device once
    for step, (x, y, sample_weight) in enumerate(batches):
        callbacks.on_train_batch_begin(step)        # dispatched only to listeners
        logs = train_step((x, y, sample_weight))    # forward, loss, backward, optimizer
        callbacks.on_train_batch_end(step, logs)    # logs are lazy: read -> one sync
    logs = metrics as floats                        # the epoch's only synchronisation
    logs |= "val_" + evaluate(validation data)
    callbacks.on_epoch_end(epoch, logs)

`train_step` = `self(x, training=True)` -> `compute_loss` (compiled losses + `self.losses`)
-> `backward()` -> `optimizer.step()` (foreach kernels) -> `compute_metrics`. Losses and
metric states stay on the device; Python floats are made only when a consumer reads them.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=0)
    >>> sorted(history.history)
    ['loss']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import torch

from kerastorch import config, mixed_precision
from kerastorch import optimizers as optimizers_module
from kerastorch.callbacks.callback_list import CallbackList
from kerastorch.layers.layer import check_kwargs
from kerastorch.metrics.reduction_metrics import Mean
from kerastorch.trainers.compile_utils import CompileLoss, CompileMetrics
from kerastorch.trainers.data_adapters import get_data_adapter, is_array_data, split_arrays
from kerastorch.utils import tree

_FIT_ARGS = (
    "x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split",
    "validation_data", "shuffle", "class_weight", "sample_weight", "initial_epoch",
    "steps_per_epoch", "validation_steps", "validation_batch_size", "validation_freq",
)  # fmt: skip
_COMPILE_ARGS = (
    "optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
    "steps_per_execution", "jit_compile", "auto_scale_loss",
)  # fmt: skip
_EVALUATE_ARGS = (
    "x", "y", "batch_size", "verbose", "sample_weight", "steps", "callbacks", "return_dict"
)  # fmt: skip


class LazyLogs(Mapping):
    """Batch logs whose values are computed and turned into floats on first read only."""

    def __init__(self, source: Any):
        self._source = source
        self._values: dict[str, Any] | None = None

    def _materialize(self) -> dict[str, Any]:
        if self._values is None:
            source = self._source() if callable(self._source) else self._source
            self._values = {k: _to_python(v) for k, v in source.items()}
        return self._values

    def __getitem__(self, key: str) -> Any:
        return self._materialize()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._materialize())

    def __len__(self) -> int:
        return len(self._materialize())


def _to_python(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.detach().cpu().numpy()
    return value


class Trainer:
    """The training API of `Model` (mixed in; see the module docstring for the loop)."""

    # -------------------------------------------------------------------------------------
    # compile
    # -------------------------------------------------------------------------------------
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
        **kwargs: Any,
    ) -> None:
        """Configure the model for training (Keras's `Model.compile`).

        Args:
            optimizer: name or `keras.optimizers.Optimizer` instance.
            loss: loss name, function or `Loss`; a list or dict for several outputs.
            loss_weights: a weight per output (list or dict), scaling its loss.
            metrics: metrics per output (`["accuracy"]`, a list of lists, or a dict).
            weighted_metrics: metrics that take `sample_weight` / `class_weight` into account.
            run_eagerly: accepted for compatibility (the loop always runs eagerly unless
                `jit_compile=True`).
            steps_per_execution: accepted for compatibility: each step runs on its own.
            jit_compile: `True` runs the forward pass and loss through `torch.compile`.
            auto_scale_loss: scale the loss under a `mixed_float16` policy (GradScaler).
        """
        check_kwargs("compile()", kwargs, (), _COMPILE_ARGS)
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = loss
        self._compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics,
        }  # fmt: skip
        names = self._output_names()
        self._compile_loss = CompileLoss(loss, loss_weights, names) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics, names)
        self._loss_tracker = Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile is True
        self._auto_scale_loss = auto_scale_loss
        self._compiled_forward = None
        self._grad_scale: torch.Tensor | None = None
        self.compiled = True
        self.stop_training = False

    def _output_names(self) -> list[str]:
        outputs = getattr(self, "_outputs_struct", None)
        if isinstance(outputs, dict):
            return sorted(outputs)
        flat = getattr(self, "_flat_outputs", None) or getattr(self, "_outputs", None)
        if flat:
            return [x._keras_history.layer.name for x in flat]
        return ["output"]

    def _assert_compiled(self) -> None:
        if not getattr(self, "compiled", False):
            raise ValueError("You must call `compile()` before using the model.")

    @property
    def metrics(self) -> list[Any]:
        """The model's metrics: the loss tracker, per-output losses, compiled metrics."""
        if not getattr(self, "compiled", False):
            return []
        result = [self._loss_tracker]
        if self._compile_loss is not None:
            result += self._compile_loss.metrics
        return result + self._compile_metrics.flat_metrics

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
            flat_pred = self._flat_outputs_of(y_pred)
            total = self._compile_loss(
                self._flat_targets(y, len(flat_pred)),
                flat_pred,
                self._flat_targets(sample_weight, len(flat_pred)),
            )
        extra = self.losses
        if extra:
            regularization = torch.stack([torch.as_tensor(v).reshape(()) for v in extra]).sum()
            total = regularization if total is None else total + regularization
        if total is None:
            device = tree.flatten(y_pred)[0].device
            total = torch.zeros((), device=device)
        return total

    def compute_metrics(
        self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None
    ) -> dict[str, Any]:
        """Update the compiled metrics with a batch; return the metrics' current results."""
        if y is not None:
            flat_pred = self._flat_outputs_of(y_pred)
            self._compile_metrics.update_state(
                self._flat_targets(y, len(flat_pred)),
                flat_pred,
                self._flat_targets(sample_weight, len(flat_pred)),
            )
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, Any]:
        """`{name: result}` for every metric (tensors; read them to synchronise)."""
        return {metric.name: metric.result() for metric in self.metrics}

    def train_step(self, data: Any) -> Any:
        """One optimisation step on a batch `(x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = _unpack(data)
        with self._autocast():
            y_pred = self._forward(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=True)
        self._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        self._apply_gradients(loss)
        return self._lazy_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data: Any) -> Any:
        """One evaluation step on a batch; returns the logs."""
        x, y, sample_weight = _unpack(data)
        with self._autocast():
            y_pred = self._forward(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self._lazy_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for a batch."""
        x, _, _ = _unpack(data)
        with self._autocast():
            return self(x, training=False)

    def _lazy_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any) -> Any:
        if y is not None:
            flat_pred = [p.detach() for p in self._flat_outputs_of(y_pred)]
            self._compile_metrics.update_state(
                self._flat_targets(y, len(flat_pred)),
                flat_pred,
                self._flat_targets(sample_weight, len(flat_pred)),
            )
        return LazyLogs(self.get_metrics_result)

    def _forward(self, x: Any, training: bool) -> Any:
        if self.jit_compile:
            if self._compiled_forward is None:
                self._compiled_forward = torch.compile(self.__call__)
            return self._compiled_forward(x, training=training)
        return self(x, training=training)

    def _apply_gradients(self, loss: torch.Tensor) -> None:
        variables = self._trainable_for_step
        if not variables or not loss.requires_grad:
            return
        self.optimizer.zero_grad()
        if self._grad_scale is None:
            loss.backward()
            self.optimizer.step()
            return
        # mixed_float16: scale the loss, unscale the gradients, skip steps that overflowed.
        (loss * self._grad_scale).backward()
        grads = [v.tensor.grad for v in variables if v.tensor.grad is not None]
        found_inf = torch.zeros(1, device=self._grad_scale.device)
        torch._amp_foreach_non_finite_check_and_unscale_(
            grads, found_inf, self._grad_scale.reciprocal()
        )
        if not found_inf.item():  # one synchronisation per step, as torch's GradScaler does
            self.optimizer.step()
        torch._amp_update_scale_(
            self._grad_scale, self._growth_tracker, found_inf, 2.0, 0.5, 2000
        )

    def _autocast(self) -> Any:
        policy = mixed_precision.global_policy().name
        if not policy.startswith("mixed_"):
            return torch.autocast("cpu", enabled=False)
        dtype = getattr(torch, policy.removeprefix("mixed_"))
        return torch.autocast(self._train_device.type, dtype=dtype)

    # -------------------------------------------------------------------------------------
    # structure helpers
    # -------------------------------------------------------------------------------------
    def _flat_outputs_of(self, y_pred: Any) -> list[Any]:
        if isinstance(y_pred, dict):
            return [y_pred[k] for k in sorted(y_pred)]
        return tree.flatten(y_pred)

    def _flat_targets(self, y: Any, n: int) -> list[Any]:
        if y is None:
            return [None] * n
        if isinstance(y, dict):
            names = self._output_names()
            return [y.get(name) for name in names]
        if n == 1:
            return [y[0] if isinstance(y, (list, tuple)) and len(y) == 1 else y]
        flat = list(y) if isinstance(y, (list, tuple)) else [y]
        if len(flat) != n:
            raise ValueError(
                f"The model has {n} outputs {self._output_names()}, but {len(flat)} "
                "targets (or sample weights) were given. Pass one per output, as a list or "
                "as a dict keyed by output name."
            )
        return flat

    # -------------------------------------------------------------------------------------
    # fit / evaluate / predict
    # -------------------------------------------------------------------------------------
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool | str = True,
        class_weight: dict[int, float] | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
        **kwargs: Any,
    ) -> Any:
        """Train the model for `epochs` epochs (Keras's `Model.fit`); return its `History`."""
        check_kwargs("fit()", kwargs, (), _FIT_ARGS)
        self._assert_compiled()
        # 1. Split off the validation data (the last fraction of the samples, unshuffled).
        if validation_split and validation_data is None:
            if not is_array_data(x):
                raise ValueError(
                    "`validation_split` is only supported for array data (NumPy arrays or "
                    f"torch tensors), not for x of type {type(x).__name__}. Pass "
                    "`validation_data` instead."
                )
            (x, y, sample_weight), validation_data = split_arrays(
                (x, y, sample_weight), validation_split
            )
        # 2. Data, device, model and optimizer (built before the first step).
        device = self._prepare_device()
        data = get_data_adapter(
            x, y, sample_weight, batch_size, shuffle, class_weight, device=device
        )
        self._build_for(data.first_batch())
        val_data = self._validation_adapter(validation_data, validation_batch_size or batch_size)
        steps = steps_per_epoch or data.num_batches
        # 3. Callbacks.
        verbose = _resolve_verbose(verbose)
        callbacks = _callback_list(callbacks, self, verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        self.train()
        callbacks.on_train_begin()
        epoch_logs: dict[str, Any] = {}
        batches = None
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            # 4. The epoch: one step per batch, with no host synchronisation.
            if batches is None or steps_per_epoch is None:
                batches = data.batches()
            step = -1
            logs: Any = {}
            for step, batch in enumerate(batches):
                callbacks.on_train_batch_begin(step)
                logs = self.train_step(batch)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training or (steps_per_epoch and step + 1 >= steps_per_epoch):
                    break
            else:
                batches = None
            if step < 0:
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make sure that your "
                    "dataset or generator can generate at least `steps_per_epoch * epochs` "
                    "batches.",
                    stacklevel=2,
                )
                break
            # 5. The epoch's logs (the one synchronisation), validation, callbacks.
            epoch_logs = _sorted_floats(dict(logs) if logs else self.get_metrics_result())
            if val_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._run_evaluation(
                    val_data, validation_steps, callbacks, verbose=0, in_fit=True
                )
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                self.train()
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        self.eval()
        if getattr(self.optimizer, "use_ema", False):
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(epoch_logs)
        return self.history

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """The loss and metrics on the given data (Keras's `Model.evaluate`)."""
        check_kwargs("evaluate()", kwargs, (), _EVALUATE_ARGS)
        self._assert_compiled()
        device = self._prepare_device()
        data = get_data_adapter(x, y, sample_weight, batch_size, False, device=device)
        self._build_for(data.first_batch())
        verbose = _resolve_verbose(verbose)
        callback_list = _callback_list(
            callbacks, self, verbose, add_history=False, epochs=1,
            steps=steps or data.num_batches,
        )  # fmt: skip
        logs = self._run_evaluation(data, steps, callback_list, verbose, in_fit=False)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _run_evaluation(
        self, data: Any, steps: int | None, callbacks: Any, verbose: int, in_fit: bool
    ) -> dict[str, Any]:
        self.eval()
        self.reset_metrics()
        callbacks.on_test_begin()
        logs: Any = {}
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callbacks.on_test_batch_begin(step)
                logs = self.test_step(batch)
                callbacks.on_test_batch_end(step, logs)
                if steps is not None and step + 1 >= steps:
                    break
        result = _sorted_floats(dict(logs) if logs else self.get_metrics_result())
        callbacks.on_test_end(result)
        return result

    def _flatten_in_order(self, logs: dict[str, Any]) -> Any:
        """Keras's order for `evaluate`'s list: loss, per-output losses, the rest sorted."""
        first = [name for name in self.metrics_names if name.endswith("loss") and name in logs]
        results = [logs[name] for name in first]
        results += [logs[k] for k in sorted(logs) if k not in first]
        return results[0] if len(results) == 1 else results

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: Any = None,
    ) -> Any:
        """The model's outputs for `x`, batch by batch, as NumPy arrays."""
        device = self._prepare_device()
        data = get_data_adapter(x, None, None, batch_size, False, device=device)
        self._build_for(data.first_batch())
        verbose = _resolve_verbose(verbose)
        callback_list = _callback_list(
            callbacks, self, verbose, add_history=False, epochs=1,
            steps=steps or data.num_batches,
        )  # fmt: skip
        self.eval()
        callback_list.on_predict_begin()
        outputs: list[Any] = []
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callback_list.on_predict_batch_begin(step)
                batch_outputs = self.predict_step(batch)
                outputs.append(batch_outputs)
                callback_list.on_predict_batch_end(step, {"outputs": batch_outputs})
                if steps is not None and step + 1 >= steps:
                    break
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs).")
        flat = [tree.flatten(o) for o in outputs]
        joined = [
            torch.cat([f[i] for f in flat]).float().cpu().numpy()
            if flat[0][i].dtype in (torch.float16, torch.bfloat16)
            else torch.cat([f[i] for f in flat]).cpu().numpy()
            for i in range(len(flat[0]))
        ]
        return tree.pack_sequence_as(outputs[0], joined)

    # -- on a single batch -----------------------------------------------------------------
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
        self.train()
        logs = _sorted_floats(dict(self.train_step(batch)))
        self.eval()
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
        self.eval()
        with torch.no_grad():
            logs = _sorted_floats(dict(self.test_step(batch)))
        return logs if return_dict else self._flatten_in_order(logs)

    def predict_on_batch(self, x: Any) -> Any:
        """The outputs for one batch, as NumPy arrays."""
        device = self._prepare_device()
        batch = tree.map_structure(
            lambda t: None if t is None else _as_device_tensor(t, device), x
        )
        self.eval()
        with torch.no_grad():
            outputs = self.predict_step((batch,))
        return tree.map_structure(lambda t: t.detach().cpu().numpy(), outputs)

    # -- tf.keras 2.x names -----------------------------------------------------------------
    def fit_generator(self, generator: Any, *args: Any, **kwargs: Any) -> Any:
        """Deprecated tf.keras name of `fit` (which accepts generators)."""
        warnings.warn(
            "`Model.fit_generator` is deprecated; use `Model.fit`, which supports generators.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.fit(generator, *args, **kwargs)

    def evaluate_generator(self, generator: Any, *args: Any, **kwargs: Any) -> Any:
        """Deprecated tf.keras name of `evaluate`."""
        warnings.warn(
            "`Model.evaluate_generator` is deprecated; use `Model.evaluate`.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.evaluate(generator, *args, **kwargs)

    def predict_generator(self, generator: Any, *args: Any, **kwargs: Any) -> Any:
        """Deprecated tf.keras name of `predict`."""
        warnings.warn(
            "`Model.predict_generator` is deprecated; use `Model.predict`.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.predict(generator, *args, **kwargs)

    # -------------------------------------------------------------------------------------
    # set-up before the first step
    # -------------------------------------------------------------------------------------
    def _prepare_device(self) -> torch.device:
        device = config.default_device()
        current = self._device_of_weights()
        if current is None or current != device:
            self.to(device)
        for metric in self.metrics:
            metric.to(device)
        self._train_device = device
        return device

    def _device_of_weights(self) -> torch.device | None:
        for tensor in self.parameters():
            return tensor.device
        return None

    def _build_for(self, batch: Any) -> None:
        """Build the model (and the optimizer) from a first batch, checking the data first."""
        from kerastorch.trainers.data_checks import check_batch

        x, y, _ = _unpack(batch)
        if not self.built:
            self._symbolic_build(x)
        check_batch(self, x, y)
        optimizer = getattr(self, "optimizer", None)
        variables = self.trainable_weights
        if optimizer is not None and not optimizer.built:
            self.to(self._train_device)
            optimizer.build(variables)
        self._trainable_for_step = variables
        policy = mixed_precision.global_policy().name
        if policy == "mixed_float16" and self._auto_scale_loss and self._grad_scale is None:
            self._grad_scale = torch.full((), 2.0**15, device=self._train_device)
            self._growth_tracker = torch.zeros((), dtype=torch.int32, device=self._train_device)

    def _symbolic_build(self, x: Any) -> None:
        from kerastorch.graph.keras_tensor import KerasTensor

        shapes = tree.map_structure(lambda t: (None, *tuple(t.shape)[1:]), x)
        if hasattr(self, "_stack"):  # Sequential: builds from a shape
            self.build(tree.flatten(shapes)[0] if not isinstance(x, torch.Tensor) else shapes)
        else:
            specs = tree.map_structure(
                lambda t: KerasTensor((None, *tuple(t.shape)[1:]), _dtype_name(t)), x
            )
            self.built = True
            self.compute_output_spec(specs)
        self.to(self._train_device)

    def _validation_adapter(self, validation_data: Any, batch_size: int | None) -> Any:
        if validation_data is None:
            return None
        if isinstance(validation_data, tuple) and is_array_data(validation_data[0]):
            vx, vy, vsw = (*validation_data, None)[:3] if len(validation_data) == 2 else (
                validation_data
            )
            return get_data_adapter(vx, vy, vsw, batch_size, False, device=self._train_device)
        return get_data_adapter(validation_data, None, None, batch_size, False, device=self._train_device)


# -------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------
def _unpack(data: Any) -> tuple[Any, Any, Any]:
    if isinstance(data, tuple) and len(data) == 3:
        return data
    if isinstance(data, tuple) and len(data) == 2:
        return data[0], data[1], None
    if isinstance(data, tuple) and len(data) == 1:
        return data[0], None, None
    return data, None, None


def _batch_size(x: Any) -> int:
    return int(tree.flatten(x)[0].shape[0])


def _dtype_name(t: torch.Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


def _as_device_tensor(x: Any, device: torch.device) -> torch.Tensor:
    from kerastorch.trainers.data_adapters.array_adapter import to_tensor

    return to_tensor(x).to(device)


def _sorted_floats(logs: dict[str, Any]) -> dict[str, Any]:
    return {k: _to_python(logs[k]) for k in sorted(logs)}


def _resolve_verbose(verbose: Any) -> int:
    if verbose == "auto":
        return 1
    return int(verbose)


def _callback_list(
    callbacks: Any, model: Any, verbose: int, add_history: bool = True, **params: Any
) -> CallbackList:
    if isinstance(callbacks, CallbackList):
        return callbacks
    return CallbackList(
        callbacks,
        add_history=add_history,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        **params,
    )


__all__ = ["LazyLogs", "Trainer"]
