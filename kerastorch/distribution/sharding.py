"""`ModelParallel` training: variables laid out as DTensors by the `LayoutMap`.

`shard_model(model, strategy)` turns every floating-point weight of a built model into a
torch DTensor over the strategy's mesh: a weight whose path matches a `LayoutMap` entry is
sharded as the entry says (the layout is given in Keras's layout, e.g. a Dense kernel's
`(input, units)`, and mapped onto the stored tensor's dimensions, e.g. `nn.Linear`'s
`(units, input)`); the others are replicated. Each process then holds only its shard.
The model's inputs enter as replicated DTensors and its outputs leave as full tensors (the
losses and metrics see ordinary tensors); DTensor's sharding propagation inserts the
collectives (tensor parallelism). The optimizer's per-variable state is re-laid out as its
variable. Over a mesh whose batch axis has more than one position, each data shard
trains its own piece of every global batch (its inputs enter as replicated over the batch
axis too, so DTensor never communicates over it) and each gradient is all-reduced over
the batch axis as soon as it is computed (weighted by the piece's share of the global
batch, as `DataParallel`'s). The model is sharded at its first `fit` and stays so;
`evaluate` / `predict` before that run the replicated model on each data shard.

`Variable.numpy()` gathers a DTensor (`full_tensor()`, a collective: every process calls
it) and `Variable.assign` of a full value scatters it, so `get_weights`, `set_weights`
and `load_weights` work unchanged on a sharded model; `save` / `save_weights` gather
through `gathering.gathered`.

Example:
    >>> import torch
    >>> from kerastorch.common.layouts import transpose
    >>> stored_dims((None, "model"), torch.empty(4, 3), transpose)  # nn.Linear: (out, in)
    {'model': 0}
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.utils import _pytree

from kerastorch.distribution.distributions import Distribution

_MESH = "_kerastorch_mesh"  # the backend mesh of a model whose weights are DTensors
_HOOKS = "_kerastorch_grad_hooks"


def is_sharded(model: Any) -> bool:
    """Whether `model`'s weights were laid out as DTensors (`shard_model`, FSDP)."""
    return _MESH in model.__dict__


def mark_sharded(model: Any, backend_mesh: Any) -> None:
    """Record that `model`'s weights are DTensors over `backend_mesh`."""
    model.__dict__[_MESH] = backend_mesh


def stored_dims(axes: tuple[str | None, ...], stored: torch.Tensor, to_keras: Any) -> dict:
    """The stored tensor's dimension for each mesh axis that `axes` (Keras layout) names.

    Args:
        axes: a `TensorLayout`'s axes, one per dimension of the Keras-layout value.
        stored: the stored tensor (or one of its shape).
        to_keras: the variable's layout conversion (a permutation), or None.
    """
    probe = torch.empty(stored.shape, device="meta")
    view = probe if to_keras is None else to_keras(probe)
    if len(axes) != view.ndim:
        raise ValueError(
            f"ModelParallel: a layout of {len(axes)} axes {axes} does not fit a variable of "
            f"shape {tuple(view.shape)}."
        )
    found: dict[str, int] = {}
    for keras_dim, name in enumerate(axes):
        if name is None:
            continue
        matches = [
            d
            for d in range(probe.ndim)
            if probe.stride(d) == view.stride(keras_dim) and probe.shape[d] == view.shape[keras_dim]
        ]
        if not matches:
            raise ValueError(
                f"ModelParallel: cannot shard dimension {keras_dim} of a variable of shape "
                f"{tuple(view.shape)} over mesh axis '{name}' (its stored layout is not a "
                "permutation of Keras's)."
            )
        found[name] = matches[0]
    return found


def shard_model(model: Any, strategy: Distribution, data: Any = None) -> None:
    """Lay out `model`'s weights as DTensors over `strategy`'s mesh (once) and route its
    forward pass through DTensors; re-lay out the optimizer's state to match."""
    from torch.distributed.tensor import Replicate, Shard, distribute_tensor

    if is_sharded(model):
        _sync_batch_gradients(model, strategy, data)
        return
    mesh = strategy.device_mesh
    backend = mesh.backend_mesh
    moved: dict[int, tuple[torch.Tensor, list]] = {}
    for variable in model.weights:
        stored = variable.tensor
        if id(stored) in moved or not stored.is_floating_point():
            continue
        dims = stored_dims(strategy.get_variable_layout(variable).axes, stored, variable._to_keras)
        placements = [
            Shard(dims[name]) if name in dims else Replicate() for name in mesh.axis_names
        ]
        sharded = distribute_tensor(stored.detach(), backend, placements)  # from process 0
        owner, attr = variable._owner, variable._attr
        if isinstance(stored, nn.Parameter):
            owner._parameters[attr] = nn.Parameter(sharded, requires_grad=stored.requires_grad)
        else:
            owner._buffers[attr] = sharded
        moved[id(stored)] = (variable.tensor, placements)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        shard_optimizer_state(optimizer, moved, backend)
    mark_sharded(model, backend)
    model.__dict__["forward"] = _routed_forward(model, backend)
    model.__dict__["_plain_forward"] = False
    _sync_batch_gradients(model, strategy, data)


def _routed_forward(model: Any, backend: Any) -> Any:
    """`model.forward` with tensors in as replicated DTensors and full tensors out."""
    from torch.distributed.tensor import DTensor, Replicate

    placements = [Replicate()] * backend.ndim

    def enter(x: Any) -> Any:
        if isinstance(x, torch.Tensor) and not isinstance(x, DTensor):
            return DTensor.from_local(x, backend, placements, run_check=False)
        return x

    def leave(x: Any) -> Any:
        return x.full_tensor() if isinstance(x, DTensor) else x

    def forward(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = _pytree.tree_map(enter, (args, kwargs))
        return _pytree.tree_map(leave, type(model).forward(model, *args, **kwargs))

    return forward


def shard_optimizer_state(optimizer: Any, moved: dict, backend: Any) -> None:
    """Re-lay out a built optimizer's per-variable state as its variables (in place)."""
    from torch.distributed.tensor import distribute_tensor

    if getattr(optimizer, "_slots", None) is None:
        raise NotImplementedError(
            f"Sharded training: the state of optimizer '{optimizer.name}' "
            f"({type(optimizer).__name__}) cannot be laid out as its variables; use a "
            "plain Keras optimizer (SGD, Adam, AdamW, RMSprop, ...)."
        )
    groups = [list(slots) for slots in optimizer._slots.values()]
    groups.append(getattr(optimizer, "_model_variables_moving_average", []))
    groups.append(getattr(optimizer, "_accumulated_gradients", []))
    old_params = optimizer._params
    per_variable = {id(v.tensor) for group in groups for v in group}
    others = [
        name
        for name, t in optimizer._state._buffers.items()
        if t is not None and t.ndim > 0 and id(t) not in per_variable
    ]
    if others:
        raise NotImplementedError(
            f"Sharded training: the state of optimizer '{optimizer.name}' "
            f"({type(optimizer).__name__}: {others}) cannot be laid out as its variables; "
            "use an optimizer whose state has the variables' shapes (SGD, Adam, AdamW, "
            "RMSprop, ...)."
        )
    new_params = [moved[id(p)][0] if id(p) in moved else p for p in old_params]
    for group in groups:
        for i, slot in enumerate(group):
            if id(old_params[i]) not in moved:
                continue
            placements = moved[id(old_params[i])][1]
            value = slot.tensor.detach()
            optimizer._state._buffers[slot._attr] = distribute_tensor(value, backend, placements)
    optimizer._params = new_params
    for i, (variable, param) in enumerate(
        zip(optimizer._trainable_variables, new_params, strict=True)
    ):
        optimizer._index[id(variable)] = i
        optimizer._index.setdefault(id(param), i)
    optimizer._slot_tensors = {k: [v.tensor for v in vs] for k, vs in optimizer._slots.items()}
    optimizer._ema_tensors = [
        v.tensor for v in getattr(optimizer, "_model_variables_moving_average", [])
    ]
    optimizer._accumulator_tensors = [
        v.tensor for v in getattr(optimizer, "_accumulated_gradients", [])
    ]
    optimizer._update_weight_decay_mask()


def _sync_batch_gradients(model: Any, strategy: Distribution, data: Any) -> None:
    """Over a batch axis of more than one position: all-reduce each gradient over it (each
    data shard's weighted by its share of the global batch), as soon as it is computed."""
    for handle in model.__dict__.pop(_HOOKS, []):
        handle.remove()
    replicas = strategy.num_model_replicas
    if replicas <= 1 or data is None:
        return
    group = model.__dict__[_MESH].get_group(strategy.batch_dim_name)

    @torch.no_grad()
    def reduce(param: torch.Tensor) -> None:
        weight = getattr(data, "step_weight", None) or 1.0 / replicas
        local = param.grad.to_local()
        local.mul_(weight)
        dist.all_reduce(local, group=group)

    model.__dict__[_HOOKS] = [
        p.register_post_accumulate_grad_hook(reduce) for p in model.parameters() if p.requires_grad
    ]


__all__ = [
    "is_sharded",
    "mark_sharded",
    "shard_model",
    "shard_optimizer_state",
    "stored_dims",
]
