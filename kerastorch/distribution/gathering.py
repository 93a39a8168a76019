"""Saving a sharded model: its weights gathered for the length of a save.

`model.save` / `save_weights` run `save_state` inside `gathered(model)`: every DTensor
weight (and optimizer state) of the model is replaced by its full tensor on every
process (one collective each, so every process of the run calls `save`), process 0
writes, and the shards come back. The result is a normal Keras file.

Example:
    >>> import kerastorch as keras
    >>> net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> with gathered(net) as writes:  # nothing sharded: nothing to do
    ...     writes
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch.distributed as dist
from torch import nn

from kerastorch.distribution.fsdp import release_inference_weights


@contextlib.contextmanager
def gathered(model: Any) -> Iterator[bool]:
    """While inside, `model`'s (and its optimizer's) DTensors are full tensors on every
    process (one collective each: every process must enter); yields whether this process
    writes files (a sharded model's files are written by process 0 only, and every
    process leaves once it has).
    """
    if not isinstance(model, nn.Module):
        yield True
        return
    release_inference_weights(model)
    modules = list(model.modules())
    state = getattr(getattr(model, "optimizer", None), "_state", None)
    if isinstance(state, nn.Module):
        modules.append(state)
    swapped = []
    for module in modules:
        for table in (module._parameters, module._buffers):
            for attr, tensor in table.items():
                if tensor is not None and hasattr(tensor, "full_tensor"):
                    full = tensor.detach().full_tensor()
                    if isinstance(tensor, nn.Parameter):
                        full = nn.Parameter(full, requires_grad=tensor.requires_grad)
                    swapped.append((table, attr, tensor))
                    table[attr] = full
    try:
        yield not swapped or not dist.is_initialized() or dist.get_rank() == 0
    finally:
        for table, attr, tensor in swapped:
            table[attr] = tensor
    if swapped and dist.is_initialized():
        dist.barrier()  # process 0 has written: the file exists for everyone


__all__ = ["gathered"]
