"""Sharded data parallelism (`DataParallel(shard_weights=True)`): torch's FSDP2.

A kerastorch extension of Keras's `DataParallel` for models whose weights, gradients and
optimizer state do not fit one device: at the first `fit`, the weights are broadcast from
process 0, each layer block (each of `model.layers` that has weights) and then the model
are wrapped by FSDP2's `fully_shard` over the data-parallel mesh, and the optimizer's
per-variable state is sharded as its variables. Each process then holds `1 / N` of every
weight (a DTensor sharded on its first dimension); a layer's weights are all-gathered
just before it runs and freed after, and gradients are reduce-scattered during the
backward pass. The data is split as `DataParallel`'s (`batch_size` is the global batch),
and each process's gradient is weighted by its share of the global batch.

The model keeps its class name (`summary()`, `get_config()`, saving), and `get_weights`,
`save` and `save_weights` gather the full weights (every process calls them; process 0
writes), so a model trained sharded saves a normal `.keras` file; `load_weights` /
`set_weights` scatter full arrays into the shards.

Example:
    >>> import kerastorch as keras
    >>> keras.distribution.DataParallel(devices=["cpu:0"], shard_weights=True).shard_weights
    True
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist
from torch.utils._pytree import tree_leaves

from kerastorch.distribution.distributions import Distribution
from kerastorch.distribution.sharding import is_sharded, mark_sharded, shard_optimizer_state

_SCALE_HOOK = "_kerastorch_gradient_weight"
_GATHERED = "_kerastorch_gathered_for_inference"


def fully_shard_model(model: Any, strategy: Distribution, data: Any = None) -> None:
    """Wrap `model` (once) with FSDP2 `fully_shard`, per layer block, over `strategy`'s mesh,
    and weight each process's gradient by its share of the global batch."""
    from torch.distributed.fsdp import fully_shard  # seconds to import: only when used

    if not is_sharded(model):
        backend = strategy.device_mesh.backend_mesh
        if backend.ndim > 1:  # DataParallel over the mesh's first (batch) axis
            backend = backend[strategy.batch_dim_name]
        with torch.no_grad():  # the same starting point on every process, as DDP's
            for tensor in [*model.parameters(), *model.buffers()]:
                dist.broadcast(tensor, src=0)
        variables = [(v, v.tensor) for v in model.weights if v.is_parameter]
        blocks = [layer for layer in getattr(model, "layers", []) if _has_parameters(layer)]
        for block in [*blocks, model]:
            cls = type(block)
            fully_shard(block, mesh=backend)
            _keep_class_name(type(block), cls)
        moved = {}
        for variable, old in variables:
            new = variable.tensor
            moved[id(old)] = (new, list(getattr(new, "placements", ())))
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and optimizer.built:
            shard_optimizer_state(optimizer, moved, backend)
        mark_sharded(model, backend)
        model.register_forward_pre_hook(_full_weights_for_inference, prepend=True)
    _weight_gradients(model, data)


def _full_weights_for_inference(model: Any, args: Any) -> None:
    """Outside training, keep the weights gathered (one all-gather, at the first inference
    step) so that inference runs no collective: the processes may then run different
    numbers of steps (a last batch smaller than the number of processes leaves some
    without a piece). The first training step, the end of `evaluate` and saving free
    them again (`release_inference_weights`)."""
    if model.training or torch.is_grad_enabled():
        release_inference_weights(model)
    elif _GATHERED not in model.__dict__:
        shards = [(v, v.tensor) for v in model.weights if hasattr(v.tensor, "device_mesh")]
        for block in _blocks(model):
            block.set_reshard_after_forward(False)
            block.unshard()
        model.__dict__[_GATHERED] = shards


@torch.no_grad()
def release_inference_weights(model: Any) -> None:
    """Back to the shards after inference, with any value assigned meanwhile (`set_weights`,
    `load_weights`) copied into them (no collective: each process its own piece)."""
    shards = model.__dict__.pop(_GATHERED, None)
    if shards is None:
        return
    from torch.distributed.tensor import distribute_tensor

    for variable, sharded in shards:
        full = variable.tensor
        if full is not sharded:
            piece = distribute_tensor(
                full.detach(), sharded.device_mesh, sharded.placements, src_data_rank=None
            )
            sharded.to_local().copy_(piece.to_local())
    for block in _blocks(model):
        block.set_reshard_after_forward(True)
        block.reshard()


def _blocks(model: Any) -> list[Any]:
    from torch.distributed.fsdp import FSDPModule

    return [module for module in model.modules() if isinstance(module, FSDPModule)]


def _has_parameters(layer: Any) -> bool:
    return next(iter(layer.parameters()), None) is not None


def _keep_class_name(fsdp_cls: type, cls: type) -> None:
    """FSDP2 makes a module an instance of `FSDP<Name>`: give it back `<Name>` (and its
    module), so that `summary()`, `get_config()` and saving see the layer's own class."""
    for attribute in ("__name__", "__qualname__", "__module__"):
        setattr(fsdp_cls, attribute, getattr(cls, attribute))


def _weight_gradients(model: Any, data: Any) -> None:
    """Scale the gradient flowing back from the model's outputs by `world * step_weight`:
    FSDP averages the processes' gradients, and uneven pieces of a global batch must weigh
    by their size (as `DataParallel`'s all-reduce does)."""
    handle = model.__dict__.pop(_SCALE_HOOK, None)
    if handle is not None:
        handle.remove()
    if data is None:
        return
    world = dist.get_world_size()

    def scale(module: Any, args: Any, output: Any) -> Any:
        weight = getattr(data, "step_weight", None)
        if not torch.is_grad_enabled() or weight is None or abs(weight * world - 1) < 1e-12:
            return output
        factor = weight * world
        for tensor in tree_leaves(output):
            if isinstance(tensor, torch.Tensor) and tensor.requires_grad:
                tensor.register_hook(lambda grad: grad * factor)
        return output

    model.__dict__[_SCALE_HOOK] = model.register_forward_hook(scale)


__all__ = ["fully_shard_model", "release_inference_weights"]
