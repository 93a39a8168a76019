"""`tf.config`: which GPUs there are (answered from torch.cuda), memory growth (a no-op).

Example:
    >>> import torch
    >>> len(list_physical_devices("GPU")) == torch.cuda.device_count()
    True
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import torch

from kerastorch.tf_standin.missing import missing


class PhysicalDevice(SimpleNamespace):
    """`tf.config.PhysicalDevice`: `name` and `device_type`."""


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """`tf.config.list_physical_devices`: the CPU and torch's CUDA devices."""
    devices = [PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]
    devices += [
        PhysicalDevice(name=f"/physical_device:GPU:{i}", device_type="GPU")
        for i in range(torch.cuda.device_count())
    ]
    return [d for d in devices if device_type is None or d.device_type == device_type.upper()]


def set_memory_growth(device: Any, enable: bool) -> None:
    """`tf.config.experimental.set_memory_growth`: a no-op; torch's caching allocator already
    grows memory as needed."""


def get_memory_growth(device: Any) -> bool:
    """`tf.config.experimental.get_memory_growth`: True (torch grows memory as needed)."""
    return True


experimental = SimpleNamespace(
    list_physical_devices=list_physical_devices,
    set_memory_growth=set_memory_growth,
    get_memory_growth=get_memory_growth,
)


def __getattr__(name: str) -> Any:
    raise missing("tf.config", name)


__all__ = ["PhysicalDevice", "experimental", "list_physical_devices"]
