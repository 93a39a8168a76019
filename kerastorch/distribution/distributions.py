"""`DataParallel`, `ModelParallel` and the global distribution (`set_distribution`).

A `Distribution` says how `fit` / `evaluate` / `predict` spread over the processes of a
run. `DataParallel` replicates the model (trained through torch's
`DistributedDataParallel`) and gives each process a shard of every global batch.
`ModelParallel` lays out the variables that a `LayoutMap` names as DTensors sharded over
mesh axes (tensor parallelism; see `sharding.py`) and splits the batch over
`batch_dim_name`. `DataParallel(shard_weights=True)` shards every weight over the
processes (FSDP2; see `fsdp.py`).

Launched by `torchrun` with no distribution set, `active_distribution()` initializes the
process group and sets `DataParallel()` (announced once on rank 0), so an unchanged
script trains data-parallel; `KERASTORCH_DISTRIBUTION=off` disables this.

Example:
    >>> strategy = DataParallel()
    >>> strategy.batch_dim_name, strategy.num_model_replicas
    ('batch', 1)
    >>> set_distribution(strategy); distribution() is strategy
    True
    >>> set_distribution(None)
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

import numpy as np
import torch

from kerastorch.distribution import devices as device_lib
from kerastorch.distribution.layouts import (
    DeviceMesh,
    LayoutMap,
    TensorLayout,
    distribute_to_layout,
)
from kerastorch.graph import KerasTensor

DEFAULT_BATCH_DIM_NAME = "batch"
_STATE: dict[str, Any] = {"distribution": None, "automatic": False}


class Distribution:
    """The base of the distributions: a mesh, a batch axis and whether to shard data.

    Args:
        device_mesh: the `DeviceMesh`.
        batch_dim_name: the mesh axis the batch is split over.
        auto_shard_dataset: give each process its shard of the data (`False` when each
            process already reads its own shard).
    """

    def __init__(
        self,
        device_mesh: DeviceMesh,
        batch_dim_name: str | None = None,
        auto_shard_dataset: bool = True,
    ) -> None:
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = device_lib.num_processes()
        self._process_id = device_lib.process_id()

    @property
    def num_processes(self) -> int:
        return self._num_processes

    @property
    def num_model_replicas(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} does not define `num_model_replicas`.")

    @property
    def data_shard_id(self) -> int:
        replicas = self.num_model_replicas
        if replicas >= self.num_processes:
            return self._process_id
        return self._process_id // (self.num_processes // replicas)

    @property
    def device_mesh(self) -> DeviceMesh:
        return self._device_mesh

    @property
    def batch_dim_name(self) -> str | None:
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self) -> bool:
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value: bool) -> None:
        self._auto_shard_dataset = value

    def get_data_layout(self, data_shape: tuple[int, ...]) -> TensorLayout:
        """The layout of a batch: its first dimension over the batch axis."""
        axes: list[str | None] = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable: Any) -> TensorLayout:
        """Replicated unless the variable carries a `_layout`."""
        layout = getattr(variable, "_layout", None)
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path: str) -> TensorLayout | None:
        return None

    def scope(self) -> Any:
        """A context in which this distribution is the global one."""
        return _Scope(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"


class DataParallel(Distribution):
    """Data parallelism: the model replicated, each global batch split over the processes.

    Under `torchrun`, creating it joins the process group (`initialize()`). In `fit` the
    model runs as torch's `DistributedDataParallel` (gradients all-reduced in buckets,
    overlapped with the backward pass); `batch_size` is the global batch.

    `shard_weights=True` (a kerastorch extension) shards the weights, gradients and
    optimizer state over the processes instead of replicating them (torch's FSDP2
    `fully_shard`, per layer block; see `kerastorch.distribution.fsdp`): for models that do
    not fit one device. The model still saves a normal `.keras` file.

    Args:
        device_mesh: a `DeviceMesh` (its first axis is the batch axis).
        devices: a list of devices, made a 1-D mesh.
        auto_shard_dataset: give each process its shard of the data.
        shard_weights: shard the weights and optimizer state (FSDP2) instead of
            replicating them (DDP).
    """

    def __init__(
        self,
        device_mesh: DeviceMesh | None = None,
        devices: Any = None,
        auto_shard_dataset: bool = True,
        shard_weights: bool = False,
    ) -> None:
        if device_mesh is not None and not isinstance(device_mesh, DeviceMesh):
            raise ValueError(
                "Expect `mesh` to be an instance of `DeviceMesh`. "
                f"Received: mesh={device_mesh} (of type {type(device_mesh)})"
            )
        if device_lib.is_launched():
            device_lib.initialize()
        if device_mesh is None:
            found = np.array(devices if devices is not None else device_lib.list_devices())
            device_mesh = DeviceMesh(found.shape, [DEFAULT_BATCH_DIM_NAME], found)
        elif device_mesh.devices.ndim != 1:
            warnings.warn(
                f"Expect the input mesh to be 1D, but received mesh.devices.ndim="
                f"{device_mesh.devices.ndim}. The first axis will be used for data-parallel "
                "sharding.",
                stacklevel=2,
            )
        super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
        self._shard_weights = bool(shard_weights)

    @property
    def shard_weights(self) -> bool:
        """Whether the weights are sharded (FSDP2) rather than replicated (DDP)."""
        return self._shard_weights

    @property
    def num_model_replicas(self) -> int:
        return int(self.device_mesh.devices.size)


class ModelParallel(Distribution):
    """Variables laid out by a `LayoutMap`; the batch split over `batch_dim_name`.

    Args:
        layout_map: a `LayoutMap` from variable paths to `TensorLayout`s.
        batch_dim_name: the mesh axis of the batch (default: the mesh's first axis).
        auto_shard_dataset: give each process its shard of the data.
    """

    def __init__(
        self,
        *,
        layout_map: LayoutMap | None = None,
        batch_dim_name: str | None = None,
        auto_shard_dataset: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("device_mesh", None)
        if layout_map is None:
            raise ValueError("You must specify a layout_map argument.")
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                f"Argument `layout_map` must be a `LayoutMap` instance. Received: "
                f"layout_map={layout_map}"
            )
        mesh = layout_map.device_mesh
        super().__init__(mesh, batch_dim_name or mesh.axis_names[0], auto_shard_dataset)
        self._layout_map = layout_map
        replicas = self.num_model_replicas
        if self.num_processes > replicas and self.num_processes % replicas != 0:
            raise ValueError(
                "If `num_processes` is greater than `num_model_replicas`, `num_processes` "
                f"must be divisible by `num_model_replicas`. Got num_processes="
                f"{self.num_processes}, num_model_replicas={replicas}."
            )

    @property
    def num_model_replicas(self) -> int:
        index = self.device_mesh.axis_names.index(self.batch_dim_name)
        return self.device_mesh.shape[index]

    def get_variable_layout(self, variable: Any) -> TensorLayout:
        """The variable's `_layout`, else its `LayoutMap` entry, else replicated."""
        layout = getattr(variable, "_layout", None)
        if layout is not None:
            return layout
        layout = self._layout_map[variable.path]
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path: str) -> TensorLayout | None:
        return self._layout_map[path]


class _Scope:
    def __init__(self, value: Distribution) -> None:
        self._value, self._previous = value, None

    def __enter__(self) -> Distribution:
        self._previous = distribution()
        set_distribution(self._value)
        return self._value

    def __exit__(self, *exc: Any) -> None:
        set_distribution(self._previous)


def distribution() -> Distribution | None:
    """The global distribution (`None` unless set)."""
    return _STATE["distribution"]


def set_distribution(value: Distribution | None) -> None:
    """Set the global distribution (`None` for none)."""
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(
            f"`set_distribution()` expects a `Distribution` instance or None. Received: "
            f"value={value!r} (of type {type(value).__name__})"
        )
    _STATE["distribution"] = value


def distribute_tensor(tensor: Any, layout: TensorLayout) -> Any:
    """`tensor` laid out as `layout`: a torch DTensor sharded over the layout's mesh.

    Symbolic `KerasTensor`s pass through; in a single process (nothing to shard over) the
    tensor is returned unchanged.
    """
    if isinstance(tensor, KerasTensor):
        return tensor
    if not isinstance(layout, TensorLayout):
        raise ValueError(
            f"`distribute_tensor()` expects a `TensorLayout` as `layout`. Received: "
            f"layout={layout!r}"
        )
    if device_lib.num_processes() <= 1:
        return tensor
    return distribute_to_layout(torch.as_tensor(tensor), layout)


def active_distribution() -> Distribution | None:
    """The distribution `fit` uses: the global one, or `DataParallel()` under a launcher.

    Under `torchrun` with no distribution set (and `KERASTORCH_DISTRIBUTION` not `off`),
    the process group is joined and `DataParallel()` set, announced once on rank 0.
    """
    current = distribution()
    if current is not None:
        return current
    if os.environ.get("KERASTORCH_DISTRIBUTION", "").lower() in ("off", "0", "false"):
        return None
    if not device_lib.is_launched():
        return None
    current = DataParallel()
    set_distribution(current)
    _STATE["automatic"] = True
    if device_lib.process_id() == 0:
        print(
            f"kerastorch: launched as {device_lib.num_processes()} processes: training "
            "data-parallel (DataParallel; `batch_size` is the global batch). Set "
            "KERASTORCH_DISTRIBUTION=off to disable.",
            file=sys.stderr,
            flush=True,
        )
    return current


__all__ = [
    "DataParallel",
    "Distribution",
    "ModelParallel",
    "active_distribution",
    "distribute_tensor",
    "distribution",
    "set_distribution",
]
