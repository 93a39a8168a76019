"""`TorchCallRecorder`: which torch functions a layer call runs, with which arguments.

Used to prove that channels_last inputs reach torch's kernels as views (no copies) and that
weights are passed as the stored parameters (no per-call repacking).
"""

from typing import Any

import torch
from torch.overrides import TorchFunctionMode

COPYING_FUNCTIONS = {"contiguous", "clone", "copy_", "pad", "_pad", "reshape", "flatten"}


class TorchCallRecorder(TorchFunctionMode):
    """Inside `with TorchCallRecorder() as rec:`, `rec.calls` lists `(func, args, kwargs)`."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, tuple, dict]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        self.calls.append((func, args, kwargs))
        return func(*args, **kwargs)

    def args_of(self, kernel: Any) -> list[tuple]:
        """The positional arguments of every call to `kernel`."""
        return [args for func, args, _ in self.calls if func is kernel]

    def names(self) -> set[str]:
        return {getattr(func, "__name__", str(func)) for func, _, _ in self.calls}

    def parameter_users(self) -> set[Any]:
        """The functions that received an `nn.Parameter` argument."""
        return {
            func
            for func, args, kwargs in self.calls
            if any(isinstance(a, torch.nn.Parameter) for a in (*args, *kwargs.values()))
        }
