"""What `fit` / `evaluate` / `predict` do differently under a distribution.

The trainer calls these hooks; each is a no-op (returns its input) in a single process:

- `prepare_fit` shards the training and validation data (`ShardedAdapter`: each data
  shard, one per model replica, its piece of every global batch, one shuffling seed for
  all) and then, by distribution: `DataParallel` runs the model as torch's
  `DistributedDataParallel` for the length of `fit` (its forward is routed through DDP,
  whose gradient all-reduce is bucketed and overlapped with the backward pass; the
  reduction weights each process's gradient by its share of the global batch);
  `DataParallel(shard_weights=True)` shards the model with FSDP2 (`fsdp.py`) and
  `ModelParallel` lays out its weights as DTensors (`sharding.py`), both for good;
- `prepare_data` shards `evaluate`'s and `predict`'s data;
- `reduced_logs` sums the metric states (loss tracker included) over the data shards
  before the epoch's or the evaluation's results are read, so they equal a single
  process's;
- `gather_predictions` assembles `predict`'s outputs from all data shards in input order;
- `finish_fit` restores the plain model (DDP only).

Batch-level logs (read by callbacks during an epoch) are this process's own; the epoch's
logs, `History`, `evaluate`'s results and the progress bar's epoch line are global.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> from kerastorch.trainers.data_adapters import get_data_adapter
    >>> data = get_data_adapter(np.zeros((4, 2)), None, None, 2, False)
    >>> prepare_data(data) is data  # a single process: unchanged
    True
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from kerastorch.distribution.distributions import (
    Distribution,
    ModelParallel,
    active_distribution,
)
from kerastorch.distribution.fsdp import fully_shard_model, release_inference_weights
from kerastorch.distribution.sharding import shard_model
from kerastorch.trainers.data_adapters.sharding import ShardedAdapter, piece
from kerastorch.trainers.lazy_logs import LazyLogs

# Buffers (metric states, moving statistics) are synced at the start only, not per forward.
_NO_BUFFER_SYNC = (
    {"forward_sync_buffers": False}
    if "forward_sync_buffers" in inspect.signature(DistributedDataParallel).parameters
    else {"broadcast_buffers": False}
)
_REPLICA = "_kerastorch_ddp"  # where the DDP wrapper is kept on the model during `fit`


def data_parallel() -> Distribution | None:
    """The distribution in effect over an initialized process group, or None."""
    strategy = active_distribution()
    if strategy is None or not (dist.is_available() and dist.is_initialized()):
        return None
    return strategy


def prepare_fit(model: Any, data: Any, val_data: Any) -> tuple[Any, Any]:
    """Shard `fit`'s data and run `model` as DDP until `finish_fit` (`ModelParallel`: lay
    out its weights as DTensors, for good)."""
    strategy = data_parallel()
    if strategy is None:
        return data, val_data
    if strategy.auto_shard_dataset:
        seed = _shared_seed()
        shard, shards = _data_shard(strategy)
        data = ShardedAdapter(data, shard, shards, seed, training=True)
        if val_data is not None:
            val_data = ShardedAdapter(val_data, shard, shards, seed)
    finish_fit(model)
    _check_same_model(model)
    if isinstance(strategy, ModelParallel):
        shard_model(model, strategy, data)
    elif getattr(strategy, "shard_weights", False):
        fully_shard_model(model, strategy, data)
    elif any(p.requires_grad for p in model.parameters()):
        _wrap(model, data)
    return data, val_data


def finish_fit(model: Any) -> None:
    """The model without its DDP wrapper again (after `fit`; a sharded model stays so)."""
    if _REPLICA in model.__dict__:
        for name in (_REPLICA, "forward", "_plain_forward"):
            model.__dict__.pop(name, None)


def prepare_data(data: Any) -> Any:
    """`evaluate`'s / `predict`'s data: this process's pieces of each batch."""
    strategy = data_parallel()
    if strategy is None or not strategy.auto_shard_dataset:
        return data
    shard, shards = _data_shard(strategy)
    return ShardedAdapter(data, shard, shards, _shared_seed())


def reduced_logs(model: Any, logs: Any) -> Any:
    """The results of the metrics over all processes (their states summed, then read)."""
    if data_parallel() is None:
        return logs or model.get_metrics_result()
    release_inference_weights(model)  # a sharded model after evaluation: back to its shards
    _all_reduce_metric_states(model, dist.get_world_size() // _data_shard(data_parallel())[1])
    fresh = model.get_metrics_result()
    if not logs or isinstance(logs, LazyLogs):
        return fresh
    return {key: fresh.get(key, value) for key, value in logs.items()}


def gather_predictions(outputs: list[np.ndarray], data: Any) -> list[np.ndarray]:
    """`predict`'s outputs (flat list of arrays) of all processes, in input order."""
    if not isinstance(data, ShardedAdapter):
        return outputs
    gathered: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, outputs)
    world = data.world  # the data shards; the processes of one shard have the same outputs
    gathered = gathered[:: len(gathered) // world]
    if not data.global_sizes:  # pre-sharded data (DistributedSampler): in rank order
        return [np.concatenate([g[i] for g in gathered]) for i in range(len(outputs))]
    positions, parts = [0] * world, []
    for n in data.global_sizes:
        for rank in range(world):
            _, size = piece(n, rank, world)
            parts.append((rank, positions[rank], size))
            positions[rank] += size
    return [
        np.concatenate([gathered[r][i][start : start + size] for r, start, size in parts])
        for i in range(len(outputs))
    ]


# -------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------
class _Replica(nn.Module):
    """The module DDP wraps: runs the model's own `forward` (not the routed one)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return type(self.model).forward(self.model, *args, **kwargs)


def _wrap(model: Any, data: Any) -> None:
    device = next(model.parameters()).device
    replica = DistributedDataParallel(
        _Replica(model),
        device_ids=[device.index] if device.type == "cuda" else None,
        **_NO_BUFFER_SYNC,
    )
    replica.register_comm_hook(data, _weighted_allreduce)
    # `Layer.__call__` -> `nn.Module.__call__` -> `self.forward`: routed through DDP (the
    # layer's fast path, which runs `call` directly, is turned off for this model).
    model.__dict__[_REPLICA] = replica
    model.__dict__["forward"] = replica.__call__
    model.__dict__["_plain_forward"] = False


def _weighted_allreduce(data, bucket):  # no annotations: DDP checks them
    """DDP's communication hook: the sum over processes of each process's gradient times its
    share of the global batch (`1 / world` each for equal pieces, as DDP's own)."""
    buffer = bucket.buffer()
    weight = getattr(data, "step_weight", None) or 1.0 / dist.get_world_size()
    buffer.mul_(weight)
    future = dist.all_reduce(buffer, async_op=True).get_future()
    return future.then(lambda done: done.value()[0])


def _check_same_model(model: Any) -> None:
    """Every process must train the same model: compare the weights' shapes and dtypes."""
    mine = [(w.path, tuple(w.shape), str(w.dtype)) for w in model.weights]
    everyone: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(everyone, mine)
    for rank, theirs in enumerate(everyone):
        if [w[1:] for w in theirs] != [w[1:] for w in mine]:
            first = next(
                (f"{a} vs {b}" for a, b in zip(mine, theirs, strict=False) if a[1:] != b[1:]),
                f"{len(mine)} weights vs {len(theirs)}",
            )
            raise ValueError(
                f"DataParallel: the model of process {dist.get_rank()} differs from the model "
                f"of process {rank} (first difference, (path, shape, dtype): {first}). Every "
                "process must build the same model."
            )


def _data_shard(strategy: Distribution) -> tuple[int, int]:
    """`(this process's data shard, the number of shards)`: one per model replica."""
    return strategy.data_shard_id, min(strategy.num_model_replicas, dist.get_world_size())


def _shared_seed() -> int:
    box = [int(torch.randint(0, 2**62, ()).item())]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def _all_reduce_metric_states(model: Any, copies: int) -> None:
    """Sum each metric state over the data shards in place (one collective over the
    processes, of which `copies` hold each shard): `"sum"` states are added, `"mean"`
    states averaged, the others taken from rank 0."""
    states, seen = [], set()
    for metric in model.metrics:
        for variable in metric.variables:
            tensor = variable.tensor
            if id(tensor) not in seen:
                seen.add(id(tensor))
                states.append((tensor, getattr(variable, "aggregation", "sum")))
    if not states:
        return
    rank, world = dist.get_rank(), dist.get_world_size()
    pieces = []
    for tensor, aggregation in states:
        flat = tensor.detach().reshape(-1).to(torch.float64)
        if aggregation not in ("sum", "mean") and rank != 0:
            flat = torch.zeros_like(flat)
        pieces.append(flat)
    buffer = torch.cat(pieces)
    dist.all_reduce(buffer)
    offset = 0
    for tensor, aggregation in states:
        value = buffer[offset : offset + tensor.numel()].reshape(tensor.shape)
        offset += tensor.numel()
        if aggregation in ("sum", "mean"):
            value = value / (world if aggregation == "mean" else copies)
        tensor.copy_(value.to(tensor.dtype))


__all__ = [
    "data_parallel",
    "finish_fit",
    "gather_predictions",
    "prepare_data",
    "prepare_fit",
    "reduced_logs",
]
