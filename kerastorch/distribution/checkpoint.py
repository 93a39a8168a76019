"""Sharded checkpoints of large models: `torch.distributed.checkpoint` without gathering.

`model.save("m.keras")` / `save_weights` gather every weight (and the optimizer state)
onto every process and process 0 writes one file: a normal Keras file, readable by one
process, by Keras, by `load_model`, but it needs the whole model in one process's memory
and its writing is serialized on process 0. For models that do not fit one device (or
whose gathering and writing takes long), save and resume with `save_sharded` /
`load_sharded` instead: every process writes and reads only its own shards (DCP's
format, a directory), in parallel, with no gathering; the checkpoint loads back into the
same kind of sharded model (DCP reshards when the number of processes changes). Use the
`.keras` file to hand the trained model on (inference, another framework, one device),
and sharded checkpoints to resume training of a large model.

Not imported by `kerastorch.distribution`: `from kerastorch.distribution.checkpoint
import save_sharded, load_sharded`.

Example:
    >>> import tempfile, kerastorch as keras
    >>> net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> folder = tempfile.mkdtemp()
    >>> save_sharded(net, folder)  # a single process works too
    >>> before = net.get_weights()[0].copy()
    >>> net.layers[0].kernel.assign(before * 0)
    <Variable ...>
    >>> load_sharded(net, folder)
    >>> bool((net.get_weights()[0] == before).all())
    True
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

import torch.distributed as dist
import torch.distributed.checkpoint as dcp


def _single() -> bool:
    return not (dist.is_available() and dist.is_initialized())


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """DCP warns that a single process is one: here it is meant to be."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "torch.distributed is disabled", UserWarning)
        yield


def _state(model: Any) -> dict[str, Any]:
    state = {"model": model.state_dict()}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        state["optimizer"] = optimizer._state.state_dict()
    return state


def save_sharded(model: Any, directory: str | os.PathLike) -> None:
    """Write `model`'s weights and optimizer state, each process its own shards.

    Every process of the run calls it (with the same `directory`, on a file system they
    share).

    Args:
        model: a model (sharded by `ModelParallel` / `DataParallel(shard_weights=True)`,
            replicated, or in a single process).
        directory: the checkpoint's directory (created).
    """
    with _quiet():
        dcp.save(_state(model), checkpoint_id=os.fspath(directory), no_dist=_single())


def load_sharded(model: Any, directory: str | os.PathLike) -> None:
    """Read a checkpoint written by `save_sharded` into `model`, in place (each process
    reads only its shards). The model (and its optimizer, if the checkpoint has its state)
    must be built and laid out as when it was saved, e.g. by a first `fit` or
    `train_on_batch` under the same distribution.

    Args:
        model: the model to restore.
        directory: the checkpoint's directory.
    """
    state = _state(model)
    with _quiet():
        dcp.load(state, checkpoint_id=os.fspath(directory), no_dist=_single())
    model.load_state_dict(state["model"])
    if "optimizer" in state:
        model.optimizer._state.load_state_dict(state["optimizer"])


__all__ = ["load_sharded", "save_sharded"]
