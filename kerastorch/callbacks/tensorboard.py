"""`TensorBoard`: write training logs for TensorBoard, laid out as Keras lays them out.

- `log_dir/train`: `epoch_<name>` scalars of the training logs plus `epoch_learning_rate`
  (step = epoch), `batch_<name>` scalars every `update_freq` batches (step = global batch,
  1-based), weight histograms/images, the model's config (`keras` tag, for TensorBoard's
  graph dashboard) and profiler traces;
- `log_dir/validation`: `epoch_<name>` scalars of the validation logs (`val_` removed) and
  `evaluation_<name>_vs_iterations` (step = optimizer iterations).

Files are written with `torch.utils.tensorboard` (the optional `tensorboard` package).
Per-batch work is a counter increment unless batch summaries or profiling are asked for:
batch logs are read (one device synchronisation) only at the batches that are written.

Example:
    >>> import tempfile, numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> log_dir = tempfile.mkdtemp()
    >>> _ = model.fit(np.ones((8, 2)), np.ones(8), validation_split=0.25, epochs=2, verbose=0,
    ...               callbacks=[keras.callbacks.TensorBoard(log_dir=log_dir)])
    >>> sorted(os.listdir(log_dir))
    ['train', 'validation']
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.learning_rate_scheduler import current_learning_rate
from kerastorch.common.serialization import serialize_keras_object

_logger = logging.getLogger(__name__)


def _summary_writer(log_dir: str) -> Any:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as error:
        raise ImportError(
            "The TensorBoard callback requires the `tensorboard` package. Install it with "
            "`pip install tensorboard` (or `pip install kerastorch[tensorboard]`)."
        ) from error
    try:
        return SummaryWriter(log_dir=log_dir)
    except OSError as error:
        reason = error.strerror or str(error)
        raise type(error)(
            f"TensorBoard could not create its log directory '{log_dir}': {reason}"
        ) from error


def _parse_profile_batch(profile_batch: Any) -> tuple[int, int]:
    message = (
        "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair "
        f"of positive integers signifies a range of batches to profile. Found: {profile_batch}"
    )
    if isinstance(profile_batch, str):
        try:
            profile_batch = [int(part) for part in profile_batch.split(",")]
        except ValueError:
            raise ValueError(message) from None
        if len(profile_batch) == 1:
            profile_batch = profile_batch[0]
    if isinstance(profile_batch, int) and not isinstance(profile_batch, bool):
        start, stop = profile_batch, profile_batch
    elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
        start, stop = profile_batch
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


class TensorBoard(Callback):
    """Log scalars, histograms, images, the model config and profiles for TensorBoard.

    Args:
        log_dir: the root folder; runs are written to `log_dir/train` and
            `log_dir/validation`. Defaults to `"logs"`.
        histogram_freq: write weight histograms every that many epochs (`0`: never).
        write_graph: write the model's config (Functional and Sequential models), which
            TensorBoard's graph dashboard draws as a conceptual graph.
        write_images: with `histogram_freq`, also write the weights as images.
        write_steps_per_second: also log the training speed (`steps_per_second`).
        update_freq: `"epoch"`, `"batch"` (= `1`) or an integer: write `batch_<name>`
            scalars of the training logs every that many batches.
        profile_batch: profile this batch (int, 1-based, counted over the whole `fit`) or
            the batches `(start, stop)` with `torch.profiler`; the trace goes to
            `log_dir/train` (`*.pt.trace.json`, read by the PyTorch profiler plugin).
            `0` (default) disables profiling. (Keras's torch backend refuses profiling.)
        embeddings_freq: every that many epochs, save the weights for the projector and
            describe the `Embedding` layers in `log_dir/projector_config.pbtxt`.
        embeddings_metadata: a metadata file for all embeddings, or a dict of them by
            `Embedding` layer name.
    """

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int | str | tuple[int, int] = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: str | dict[str, str] | None = None,
    ):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._start_batch, self._stop_batch = _parse_profile_batch(profile_batch)
        self._should_trace = not (self._start_batch == 0 and self._stop_batch == 0)
        self._profiler: Any = None
        self._batch_trace: Any = None
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers: dict[str, Any] = {}
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")

    # -- writers ---------------------------------------------------------------------------
    @property
    def _train_writer(self) -> Any:
        if "train" not in self._writers:
            self._writers["train"] = _summary_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self) -> Any:
        if "val" not in self._writers:
            self._writers["val"] = _summary_writer(self._val_dir)
        return self._writers["val"]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def set_model(self, model: Any) -> None:
        """Set the model; write its config (`write_graph`) and the projector config."""
        super().set_model(model)
        self._close_writers()
        if self.write_graph:
            self._write_keras_model_summary()
        if self.embeddings_freq:
            self._configure_embeddings()

    def _write_keras_model_summary(self) -> None:
        """The model's JSON config under the `keras` tag (the `graph_keras_model` plugin)."""
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            if hasattr(self.model, "to_json"):
                json_string = self.model.to_json()
            else:
                json_string = json.dumps(serialize_keras_object(self.model))
        except Exception as exc:  # a summary must never break training
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}", stacklevel=3)
            return
        from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboard.compat.proto.tensor_pb2 import TensorProto
        from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

        metadata = SummaryMetadata(
            plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1")
        )
        tensor = TensorProto(
            dtype=7,  # DT_STRING
            tensor_shape=TensorShapeProto(),
            string_val=[json_string.encode("utf-8")],
        )
        summary = Summary(value=[Summary.Value(tag="keras", tensor=tensor, metadata=metadata)])
        writer = self._train_writer
        writer._get_file_writer().add_summary(summary, 0)
        writer.flush()

    def _configure_embeddings(self) -> None:
        from google.protobuf import text_format
        from tensorboard.plugins.projector import ProjectorConfig

        projector = ProjectorConfig()
        metadata = self.embeddings_metadata
        remaining = dict(metadata) if isinstance(metadata, dict) else None
        for layer in getattr(self.model, "layers", []):
            if type(layer).__name__ != "Embedding":
                continue
            embedding = projector.embeddings.add()
            embedding.tensor_name = "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"
            if isinstance(metadata, str):
                embedding.metadata_path = metadata
            elif remaining is not None and layer.name in remaining:
                embedding.metadata_path = remaining.pop(layer.name)
        if remaining:
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                f"`embeddings_metadata` argument: {remaining.keys()}"
            )
        os.makedirs(self.log_dir, exist_ok=True)
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w") as f:
            f.write(text_format.MessageToString(projector))

    # -- training hooks --------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._profiler is not None:
            self._stop_trace()
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.write_steps_per_second:
            self._previous_epoch_iterations = self._iterations()
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            path = os.path.join(self._train_dir, f"keras_embedding.ckpt-{epoch}.weights.h5")
            self.model.save_weights(path)

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()
        if not self._should_trace:
            return
        if self._global_train_batch == self._start_batch:
            self._start_trace()
        if self._profiler is not None:
            self._batch_trace = torch.profiler.record_function(f"batch_{batch}")
            self._batch_trace.__enter__()

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        step = self._global_train_batch
        if self.update_freq != "epoch" and step % self.update_freq == 0:
            writer = self._train_writer
            if self.write_steps_per_second:
                elapsed = time.time() - self._batch_start_time
                writer.add_scalar("batch_steps_per_second", 1.0 / elapsed, step)
            if isinstance(logs, Mapping):  # reading the logs synchronises: only here
                for name, value in logs.items():
                    writer.add_scalar(f"batch_{name}", value, step)
        if self._profiler is not None:
            if self._batch_trace is not None:
                self._batch_trace.__exit__(None, None, None)
                self._batch_trace = None
            if step >= self._stop_batch:
                self._stop_trace()

    # -- evaluation hooks ------------------------------------------------------------------
    def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._global_test_batch += 1

    def on_test_end(self, logs: dict | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations") or not logs:
            return
        if self.update_freq != "epoch" and self._global_test_batch % self.update_freq != 0:
            return  # Keras records these under its batch-frequency condition
        writer = self._val_writer
        step = self._iterations()
        for name, value in logs.items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", value, step)
        writer.flush()

    # -- writing ---------------------------------------------------------------------------
    def _iterations(self) -> int:
        iterations = self.model.optimizer.iterations
        if isinstance(iterations, torch.Tensor):
            return int(iterations.item())
        return int(iterations.numpy() if hasattr(iterations, "numpy") else iterations)

    def _collect_learning_rate(self, logs: dict[str, Any]) -> dict[str, Any]:
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = current_learning_rate(opt)
        elif optimizer is not None and hasattr(optimizer, "learning_rate"):
            logs["learning_rate"] = current_learning_rate(optimizer)
        return logs

    def _log_epoch_metrics(self, epoch: int, logs: dict | None) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            elapsed = time.time() - self._epoch_start_time
            steps = self._iterations() - self._previous_epoch_iterations
            train_logs["steps_per_second"] = float(np.float32(steps) / np.float32(elapsed))
        if train_logs:
            writer = self._train_writer
            for name, value in train_logs.items():
                writer.add_scalar(f"epoch_{name}", value, epoch)
            writer.flush()
        if val_logs:
            writer = self._val_writer
            for name, value in val_logs.items():
                writer.add_scalar(f"epoch_{name.removeprefix('val_')}", value, epoch)
            writer.flush()

    def _log_weights(self, epoch: int) -> None:
        writer = self._train_writer
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                value = weight.numpy()
                writer.add_histogram(f"{name}/histogram", value, epoch)
                if self.write_images:
                    self._log_weight_as_image(value, f"{name}/image", epoch)
        writer.flush()

    def _log_weight_as_image(self, weight: np.ndarray, tag: str, epoch: int) -> None:
        image = np.squeeze(weight)
        shape = image.shape
        if len(shape) == 1:  # a bias
            image = image.reshape(1, shape[0], 1, 1)
        elif len(shape) == 2:  # a dense kernel, drawn wide
            if shape[0] > shape[1]:
                image = image.T
            image = image.reshape(1, image.shape[0], image.shape[1], 1)
        elif len(shape) == 3:  # a conv kernel: one image per kernel
            if config.image_data_format() == "channels_last":
                image = np.transpose(image, (2, 0, 1))
            image = image.reshape(image.shape[0], image.shape[1], image.shape[2], 1)
        if image.ndim == 4 and image.shape[-1] in (1, 3, 4):  # 3D kernels are not drawn
            self._train_writer.add_images(tag, image, epoch, dataformats="NHWC")

    # -- profiling -------------------------------------------------------------------------
    def _start_trace(self) -> None:
        activities = [torch.profiler.ProfilerActivity.CPU]
        if torch.cuda.is_available():
            activities.append(torch.profiler.ProfilerActivity.CUDA)
        try:
            profiler = torch.profiler.profile(
                activities=activities,
                on_trace_ready=torch.profiler.tensorboard_trace_handler(self._train_dir),
            )
            profiler.start()
        except Exception as error:  # profiling must never break training
            _logger.error("Failed to start profiler: %s", error)
            return
        self._profiler = profiler

    def _stop_trace(self) -> None:
        if self._batch_trace is not None:
            self._batch_trace.__exit__(None, None, None)
            self._batch_trace = None
        try:
            self._profiler.stop()
        except Exception as error:
            _logger.error("Failed to stop profiler: %s", error)
        finally:
            self._profiler = None
