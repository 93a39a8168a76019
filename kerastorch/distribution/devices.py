"""The processes and devices of a distributed run: `initialize`, `list_devices`, ranks.

kerastorch launches nothing: `torchrun` (or SLURM, or any launcher setting `RANK`,
`WORLD_SIZE`, `MASTER_ADDR`, `MASTER_PORT`) starts one process per device, and
`initialize()` joins them into a `torch.distributed` process group (NCCL on CUDA, gloo on
CPU), pinning each process to its local GPU. In a single process it does nothing.

Example:
    >>> initialize()  # a single process: nothing to join
    >>> process_id(), num_processes(), get_device_count("cpu")
    (0, 1, 1)
"""

from __future__ import annotations

import datetime
import os

import torch
import torch.distributed as dist

from kerastorch import config

# How long a collective waits for the other processes before failing (seconds): a rank that
# died or hangs ends the others' wait with an error instead of a silent hang.
_TIMEOUT_ENV = "KERASTORCH_DISTRIBUTION_TIMEOUT"
_DEFAULT_TIMEOUT_S = 300


def is_launched() -> bool:
    """Whether a launcher (`torchrun`, ...) started this process as one of several."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1 and "RANK" in os.environ


def process_id() -> int:
    """This process's rank (0 in a single process)."""
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def num_processes() -> int:
    """The number of processes (1 in a single process)."""
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def initialize(
    job_addresses: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
) -> None:
    """Join the processes of a distributed run (Keras's `keras.distribution.initialize`).

    The arguments default to Keras's variables (`KERAS_DISTRIBUTION_JOB_ADDRESSES`, ...)
    and then to the launcher's (`MASTER_ADDR:MASTER_PORT`, `WORLD_SIZE`, `RANK`, set by
    `torchrun`). Backend: NCCL when CUDA is available (each process pinned to
    `cuda:LOCAL_RANK`), else gloo. `KERASTORCH_DISTRIBUTION_TIMEOUT` (seconds, default
    300) bounds how long a process waits for the others. A no-op in a single process or
    when the group is already initialized.

    Args:
        job_addresses: comma-separated `host:port` of the processes; the first is the
            coordinator.
        num_processes: the number of processes.
        process_id: this process's rank.
    """
    if not dist.is_available() or dist.is_initialized():
        return
    env = os.environ
    job_addresses = job_addresses or env.get("KERAS_DISTRIBUTION_JOB_ADDRESSES")
    world = num_processes or int(
        env.get("KERAS_DISTRIBUTION_NUM_PROCESSES") or env.get("WORLD_SIZE") or 1
    )
    if process_id is None:
        process_id = int(env.get("KERAS_DISTRIBUTION_PROCESS_ID") or env.get("RANK") or 0)
    if world <= 1 and "RANK" not in env:
        return
    if job_addresses:
        host, _, port = job_addresses.split(",")[0].strip().rpartition(":")
        env["MASTER_ADDR"], env["MASTER_PORT"] = host or "localhost", port
    use_cuda = torch.cuda.is_available()
    if use_cuda:
        local = int(env.get("LOCAL_RANK", process_id % max(torch.cuda.device_count(), 1)))
        torch.cuda.set_device(local)
        config.set_device(f"cuda:{local}")
    timeout = datetime.timedelta(seconds=float(env.get(_TIMEOUT_ENV, _DEFAULT_TIMEOUT_S)))
    dist.init_process_group(
        "nccl" if use_cuda else "gloo", rank=process_id, world_size=world, timeout=timeout
    )


def list_devices(device_type: str | None = None) -> list[str]:
    """The devices of the run: one per process when distributed (`"cuda:<rank>"` /
    `"cpu:<rank>"`; under a launcher this joins the processes first), else the local GPUs,
    or `["cpu:0"]`.

    Args:
        device_type: `"cpu"`, `"gpu"` or `"cuda"`; default: GPUs when there are any.
    """
    kind = (device_type or ("cuda" if torch.cuda.is_available() else "cpu")).lower()
    kind = "cuda" if kind == "gpu" else kind
    if kind not in ("cpu", "cuda"):
        raise ValueError(
            f"`list_devices()` expects `device_type` 'cpu', 'gpu' or 'cuda'. Received: "
            f"device_type={device_type!r}"
        )
    if kind == "cuda" and not torch.cuda.is_available():
        return []
    if is_launched():
        initialize()  # under a launcher: the devices of all processes
    if num_processes() > 1:
        return [f"{kind}:{rank}" for rank in range(num_processes())]
    count = torch.cuda.device_count() if kind == "cuda" else 1
    return [f"{kind}:{index}" for index in range(count)]


def get_device_count(device_type: str | None = None) -> int:
    """The number of devices `list_devices(device_type)` returns."""
    return len(list_devices(device_type))


__all__ = [
    "get_device_count",
    "initialize",
    "is_launched",
    "list_devices",
    "num_processes",
    "process_id",
]
