"""`DeviceMesh`, `TensorLayout` and `LayoutMap`: Keras's description of where tensors live.

A `DeviceMesh` names the axes of a grid of devices (one device per process under
`torchrun`); a `TensorLayout` maps each tensor dimension to a mesh axis (or `None`,
replicated); a `LayoutMap` maps variable paths (regular expressions) to layouts. On torch,
`DeviceMesh.backend_mesh` is a `torch.distributed.device_mesh.DeviceMesh` and
`TensorLayout.backend_layout` the DTensor placements (`Shard(dim)` / `Replicate()`).

Example:
    >>> mesh = DeviceMesh((2,), ["model"], ["cpu:0", "cpu:1"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> layout_map["dense_1/kernel"].axes, layout_map["dense_1/bias"]
    ((None, 'model'), None)
"""

from __future__ import annotations

import collections.abc
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import torch
from torch.distributed.device_mesh import init_device_mesh

from kerastorch.distribution.devices import list_devices


class DeviceMesh:
    """A grid of devices with named axes (Keras's `keras.distribution.DeviceMesh`).

    Args:
        shape: the mesh's shape, e.g. `(8,)` for data parallelism, `(4, 2)` for data and
            model parallelism.
        axis_names: a name for each axis (used by `TensorLayout`s).
        devices: the devices (`"cuda:0"`, ...); default `list_devices()`.
    """

    def __init__(
        self, shape: Sequence[int], axis_names: Sequence[str], devices: Any = None
    ) -> None:
        if not shape or not axis_names:
            raise ValueError(
                f"Shape and axis_names cannot be empty. Received: shape={shape}, "
                f"axis_names={axis_names}"
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "Shape and axis_names should have same size. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        if devices is None:
            devices = list_devices()
        devices = np.array(devices)
        if math.prod(shape) != math.prod(devices.shape):
            raise ValueError(
                "Shape does not match the number of devices. Received: "
                f"shape={shape}; devices.shape={devices.shape}"
            )
        self._shape = tuple(shape)
        self._axis_names = list(axis_names)
        self._devices = np.reshape(devices, shape)
        self._backend_mesh: Any = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def axis_names(self) -> list[str]:
        return self._axis_names

    @property
    def devices(self) -> np.ndarray:
        return self._devices

    @property
    def backend_mesh(self) -> Any:
        """The `torch.distributed` `DeviceMesh` (needs a process group of the mesh's size)."""
        if self._backend_mesh is None:
            device_type = str(self._devices.flat[0]).split(":")[0]
            self._backend_mesh = init_device_mesh(
                "cuda" if device_type in ("gpu", "cuda") else device_type,
                self._shape,
                mesh_dim_names=tuple(self._axis_names),
            )
        return self._backend_mesh

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shape={self.shape}, axis_names={self.axis_names}>"


class TensorLayout:
    """The mesh axis (or `None`) of each dimension of a tensor (`keras.distribution.TensorLayout`).

    Args:
        axes: one mesh axis name or `None` per tensor dimension.
        device_mesh: the `DeviceMesh`; may be set later (once).
    """

    def __init__(self, axes: Sequence[str | None], device_mesh: DeviceMesh | None = None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def axes(self) -> tuple[str | None, ...]:
        return self._axes

    @property
    def device_mesh(self) -> DeviceMesh | None:
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh: DeviceMesh) -> None:
        if self._device_mesh is not None:
            raise ValueError(
                f"Cannot override device mesh value. Existing value is {self._device_mesh}"
            )
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def backend_layout(self) -> list[Any]:
        """DTensor placements: per mesh axis, `Shard(dim)` of the dimension mapped to it or
        `Replicate()`."""
        from torch.distributed.tensor import Replicate, Shard  # lazy: seconds to import

        if self._device_mesh is None:
            raise ValueError(f"{self!r} has no device mesh: set `device_mesh` first.")
        return [
            Shard(self._axes.index(name)) if name in self._axes else Replicate()
            for name in self._device_mesh.axis_names
        ]

    def _validate_axes(self) -> None:
        if self._device_mesh is not None:
            valid = set(self._device_mesh.axis_names)
            names = set(self._axes) - {None}
            if names - valid:
                raise ValueError(
                    f"Invalid axis names for Layout. Valid axis names: {valid}, Got {names}"
                )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} axes={self.axes}, device_mesh={self.device_mesh}>"


class LayoutMap(collections.abc.MutableMapping):
    """Variable paths (regular expressions, full match) to `TensorLayout`s.

    An exact key wins; otherwise the keys are matched as regular expressions against the
    whole path, and more than one match is an error. A tuple value is a `TensorLayout`'s
    axes.

    Args:
        device_mesh: the `DeviceMesh` given to the layouts that have none.
    """

    def __init__(self, device_mesh: DeviceMesh | None) -> None:
        self._layout_map: dict[str, TensorLayout] = collections.OrderedDict()
        self._device_mesh = device_mesh

    def __getitem__(self, key: str) -> TensorLayout | None:
        if key in self._layout_map:
            return self._layout_map[key]
        matches = [pattern for pattern in self._layout_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple layout specification keys: {matches}. Please "
                "make sure each tensor/variable path only matches at most one layout "
                "specification key in the LayoutMap."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key: str, layout: TensorLayout | tuple[str | None, ...]) -> None:
        if key in self._layout_map:
            raise ValueError(
                f"{key} already exist in the LayoutMap with value {self._layout_map[key]}. "
                "Please make sure to not use duplicated keys."
            )
        if isinstance(layout, tuple):
            layout = TensorLayout(axes=layout, device_mesh=None)
        if not isinstance(layout, TensorLayout):
            raise ValueError(f"{layout} should be a TensorLayout type, got {type(layout)}")
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key: str) -> None:
        self._layout_map.pop(key)

    def __len__(self) -> int:
        return len(self._layout_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout_map)

    @property
    def device_mesh(self) -> DeviceMesh | None:
        return self._device_mesh


def distribute_to_layout(tensor: torch.Tensor, layout: TensorLayout) -> torch.Tensor:
    """`tensor` as a DTensor laid out as `layout` on its mesh (see `distribute_tensor`)."""
    from torch.distributed.tensor import DTensor, distribute_tensor  # lazy: seconds to import

    if isinstance(tensor, DTensor):
        return tensor.redistribute(layout.device_mesh.backend_mesh, layout.backend_layout)
    return distribute_tensor(tensor, layout.device_mesh.backend_mesh, layout.backend_layout)


__all__ = ["DeviceMesh", "LayoutMap", "TensorLayout", "distribute_to_layout"]
