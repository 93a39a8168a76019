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

The steps (`train_step`, `compute_loss`, `metrics`, ...) are in `trainer_steps.py`,
`train_on_batch` & co. in `batch_methods.py`, the epoch iterator in `epoch_iterator.py`,
the lazy batch logs in `lazy_logs.py`.

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
from typing import Any

import torch

from kerastorch import mixed_precision
from kerastorch import optimizers as optimizers_module
from kerastorch.callbacks.callback_list import CallbackList
from kerastorch.common import tree
from kerastorch.distribution import training as distributed
from kerastorch.layers.layer import check_kwargs
from kerastorch.metrics.reduction_metrics import Mean
from kerastorch.trainers.argument_checks import (
    capped_epochs,
    capped_steps,
    check_fit_arguments,
    check_loop_arguments,
)
from kerastorch.trainers.batch_methods import BatchMethods, keras_batch
from kerastorch.trainers.compile_utils import CompileLoss, CompileMetrics, output_names_of
from kerastorch.trainers.data_adapters import get_data_adapter, is_array_data, split_arrays
from kerastorch.trainers.data_checks import check_data
from kerastorch.trainers.epoch_iterator import EpochIterator
from kerastorch.trainers.lazy_logs import as_batch_logs, nested_logs, pythonify_logs
from kerastorch.trainers.trainer_steps import TrainerSteps

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


class Trainer(BatchMethods):
    """The training API of `Model` (mixed in; see the module docstring for the loop).

    The per-batch half (the steps, `metrics`, the set-up before the first step) is
    `TrainerSteps`, the `*_on_batch` methods `BatchMethods`; this class holds `compile` and
    the loops over the data.
    """

    compiled: bool = False  # `compile()` (or loading a compiled model) sets it

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
            jit_compile: `True` compiles the training step (forward pass, loss, gradients
                and optimizer update: one `torch.compile`d graph) and the evaluation step.
            auto_scale_loss: under a `mixed_float16` policy, wrap the optimizer in a
                `LossScaleOptimizer` (dynamic loss scaling), as Keras does.
        """
        check_kwargs("compile()", kwargs, (), _COMPILE_ARGS)
        self.optimizer = optimizers_module.get(optimizer)
        if (
            auto_scale_loss
            and mixed_precision.global_policy().name == "mixed_float16"
            and not isinstance(self.optimizer, optimizers_module.LossScaleOptimizer)
        ):
            self.optimizer = optimizers_module.LossScaleOptimizer(
                self.optimizer, name="loss_scale_optimizer"
            )
        self.loss = loss
        self._compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics,
        }  # fmt: skip
        names = output_names_of(self)
        # Stored outside `nn.Module`'s registry: metric state is not part of `state_dict()`.
        state = self.__dict__
        state["_compile_loss"] = (
            CompileLoss(loss, loss_weights, names) if loss is not None else None
        )
        state["_compile_metrics"] = (
            CompileMetrics(metrics, weighted_metrics, names)
            if metrics is not None or weighted_metrics is not None
            else None
        )
        state["_loss_tracker"] = Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile is True
        self._compiled_forward = None
        self.compiled = True
        self.stop_training = False

    def _assert_compiled(self) -> None:
        if not getattr(self, "compiled", False):
            raise ValueError("You must call `compile()` before using the model.")

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
        check_fit_arguments(
            batch_size, epochs, initial_epoch, steps_per_epoch, validation_steps,
            validation_batch_size,
        )  # fmt: skip
        epochs, steps_per_epoch = capped_epochs(epochs), capped_steps(steps_per_epoch)
        validation_steps = capped_steps(validation_steps)
        # 1. Split off the validation data (the last fraction of the samples, unshuffled).
        if validation_split and validation_data is None:
            if not is_array_data(x):
                raise ValueError(
                    "Argument `validation_split` is only supported for tensors or NumPy "
                    f"arrays. Found incompatible type in the input: {type(x).__name__}. Pass "
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
        data.on_epoch_end()  # as Keras, whose iterator is reset after the first batch is read
        val_data = self._validation_adapter(validation_data, validation_batch_size or batch_size)
        check_data(self, data, val_data)
        data, val_data = distributed.prepare_fit(self, data, val_data)  # data-parallel runs
        steps = steps_per_epoch or data.num_batches
        # 3. Callbacks.
        verbose = _resolve_verbose(verbose)
        callbacks = _callback_list(callbacks, self, verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        self.train()
        self._initial_epoch = None
        callbacks.on_train_begin()
        # A callback may resume training (BackupAndRestore sets `_initial_epoch`), as in Keras.
        initial_epoch = self._initial_epoch or initial_epoch
        epoch_logs: dict[str, Any] = {}
        epochs_iterator = EpochIterator(data, steps_per_epoch)
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            # 4. The epoch: one step per batch, with no host synchronisation.
            logs: Any = {}
            steps_run = 0
            # Hooks no callback listens to are not called (None).
            begin = callbacks.batch_hook("on_train_batch_begin")
            end = callbacks.batch_hook("on_train_batch_end")
            for step, batch in epochs_iterator.epoch():
                if begin is not None:
                    begin(step)
                logs = self.train_step(keras_batch(batch))
                if end is not None:
                    logs = as_batch_logs(logs)
                    end(step, logs)
                steps_run += 1
                if self.stop_training:
                    break
            logs = as_batch_logs(logs)
            epochs_iterator.end_epoch()
            if steps_run == 0 and epochs_iterator.num_batches is None:
                break  # a generator with nothing left: no epoch to log
            # 5. The epoch's logs (the one synchronisation), validation, callbacks.
            epoch_logs = nested_logs(distributed.reduced_logs(self, logs))
            if val_data is not None and _should_validate(epoch, validation_freq):
                val_logs = self._run_evaluation(val_data, validation_steps, callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                self.train()
            epoch_logs = pythonify_logs(epoch_logs)  # flattened after `val_`, as in Keras
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        distributed.finish_fit(self)
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
        check_loop_arguments(batch_size, steps)
        steps = capped_steps(steps)
        device = self._prepare_device()
        data = get_data_adapter(x, y, sample_weight, batch_size, False, device=device)
        self._build_for(data.first_batch())
        check_data(self, data)
        data = distributed.prepare_data(data)
        verbose = _resolve_verbose(verbose)
        callback_list = _callback_list(
            callbacks, self, verbose, add_history=False, epochs=1,
            steps=steps or data.num_batches,
        )  # fmt: skip
        logs = self._run_evaluation(data, steps, callback_list)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _run_evaluation(self, data: Any, steps: int | None, callbacks: Any) -> dict[str, Any]:
        self.eval()
        self.reset_metrics()
        data.on_epoch_end()  # Keras resets its iterator here, which ends an "epoch" of `data`
        callbacks.on_test_begin()
        logs: Any = {}
        begin = callbacks.batch_hook("on_test_batch_begin")
        end = callbacks.batch_hook("on_test_batch_end")
        direct = type(self).test_step is TrainerSteps.test_step  # no packing and unpacking
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                if begin is not None:
                    begin(step)
                if direct:
                    logs = self._test_unpacked(*batch)
                else:
                    logs = self.test_step(keras_batch(batch))
                if end is not None:
                    logs = as_batch_logs(logs)
                    end(step, logs)
                if steps is not None and step + 1 >= steps:
                    break
        logs = as_batch_logs(logs)
        data.on_epoch_end()
        result = pythonify_logs(distributed.reduced_logs(self, logs))
        callbacks.on_test_end(result)
        return result

    def _flatten_in_order(self, logs: dict[str, Any]) -> Any:
        """Keras's order for `evaluate`'s list: `metrics`' order, then the rest sorted.

        As in Keras, the compiled metrics keep their order only for single-output models
        (with several outputs their logged names carry the output's name, which Keras does
        not find in `metrics`, so they come sorted after the per-output losses).
        """
        first: list[str] = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                if len(metric.output_names) == 1:
                    first += [m.name for m in metric.metrics]
            else:
                first.append(metric.name)
        first = [name for name in dict.fromkeys(first) if name in logs]
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
        check_loop_arguments(batch_size, steps)
        steps = capped_steps(steps)
        device = self._prepare_device()
        data = get_data_adapter(x, None, None, batch_size, False, device=device)
        self._build_for(data.first_batch())
        check_data(self, data)
        data = distributed.prepare_data(data)
        verbose = _resolve_verbose(verbose)
        callback_list = _callback_list(
            callbacks, self, verbose, add_history=False, epochs=1,
            steps=steps or data.num_batches,
        )  # fmt: skip
        self.eval()
        callback_list.on_predict_begin()
        outputs: list[Any] = []
        begin = callback_list.batch_hook("on_predict_batch_begin")
        end = callback_list.batch_hook("on_predict_batch_end")
        # `predict_step` as written in TrainerSteps, without autocast: the model is called
        # directly (the same call, minus the batch's packing and unpacking).
        plan = self._step_plan
        direct = (
            type(self).predict_step is TrainerSteps.predict_step
            and plan is not None
            and plan.autocast_dtype is None
        )
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                if begin is not None:
                    begin(step)
                if direct:
                    batch_outputs = self(batch[0], training=False)
                else:
                    batch_outputs = self.predict_step(keras_batch(batch))
                outputs.append(batch_outputs)
                if end is not None:
                    end(step, {"outputs": batch_outputs})
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
        joined = distributed.gather_predictions(joined, data)
        return tree.pack_sequence_as(outputs[0], joined)

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

    def _validation_adapter(self, validation_data: Any, batch_size: int | None) -> Any:
        if validation_data is None:
            return None
        if isinstance(validation_data, tuple) and is_array_data(validation_data[0]):
            vx, vy, vsw = (
                (*validation_data, None)[:3] if len(validation_data) == 2 else (validation_data)
            )
            return get_data_adapter(vx, vy, vsw, batch_size, False, device=self._train_device)
        return get_data_adapter(
            validation_data, None, None, batch_size, False, device=self._train_device
        )


# -------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------
def _should_validate(epoch: int, validation_freq: int | list[int]) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple)):
        return epoch + 1 in validation_freq
    raise ValueError(
        "Expected `validation_freq` to be a list or int. Received: "
        f"validation_freq={validation_freq} of the type {type(validation_freq)}."
    )


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


__all__ = ["Trainer"]
