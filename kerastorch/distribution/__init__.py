"""`keras.distribution`: training over several processes and devices on `torch.distributed`.

The engine is PyTorch's own: processes launched by `torchrun` (one node or many), joined
into a `torch.distributed` process group (`initialize()`: NCCL on CUDA, gloo on CPU),
`DistributedDataParallel` for data parallelism, FSDP2 for sharded weights and DTensor for
layouts. kerastorch maps Keras's API onto it:

- `DataParallel` trains a replicated model on a shard of every global batch
  (`batch_size` is the global batch); metrics are summed over the processes so that
  `History` equals a single process's run; only rank 0 prints and writes files (progress
  bar, TensorBoard, CSVLogger, ModelCheckpoint, BackupAndRestore's backups). Launched by
  `torchrun` with no distribution set, `fit` runs data-parallel unchanged
  (`KERASTORCH_DISTRIBUTION=off` disables this).
- `DataParallel(shard_weights=True)` (a kerastorch extension) shards every weight, its
  gradient and its optimizer state over the processes (FSDP2 `fully_shard` per layer
  block): for models whose training state does not fit one device.
- `ModelParallel(layout_map=..., batch_dim_name=...)` lays out the variables that the
  `LayoutMap` names as DTensors sharded over mesh axes (tensor parallelism of Dense,
  EinsumDense and Embedding kernels) and splits the batch over `batch_dim_name`.

A sharded model (the last two) is sharded at its first `fit` and stays so; each process
holds only its shards, and the optimizer's state follows its variables. `get_weights()`
gathers; `model.save` / `save_weights` gather every weight onto every process (so every
process calls them) and process 0 writes a normal `.keras` / `.weights.h5` file, which
loads anywhere (one process, Keras); loading such a file into a sharded model scatters it.
The callbacks that save during `fit` (`ModelCheckpoint`, `BackupAndRestore`) run on
process 0 only, so they cannot save a sharded model yet: save it after `fit` (on every
process), or with `save_sharded`.

Which checkpoint: the `.keras` file is for handing the model on (inference, one device,
Keras) and for models that fit one process's memory. For large models, save and resume
with `kerastorch.distribution.checkpoint.save_sharded` / `load_sharded`
(`torch.distributed.checkpoint`): each process writes and reads only its own shards, in
parallel, with no gathering.

Example:
    >>> from kerastorch import distribution
    >>> distribution.list_devices("cpu")
    ['cpu:0']
    >>> distribution.DataParallel(devices=["cpu:0"]).device_mesh
    <DeviceMesh shape=(1,), axis_names=['batch']>
"""

from kerastorch.distribution.devices import get_device_count, initialize, list_devices
from kerastorch.distribution.distributions import (
    DataParallel,
    ModelParallel,
    distribute_tensor,
    distribution,
    set_distribution,
)
from kerastorch.distribution.layouts import DeviceMesh, LayoutMap, TensorLayout

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]
