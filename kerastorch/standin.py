"""The import aliases of `kerastorch run`: `keras`, `tensorflow.keras`, `tf_keras` and
`tensorflow` resolve to kerastorch, for one run or one notebook kernel only.

While installed, `tensor.numpy()` also works on tensors that require gradients or live on a
GPU (as TensorFlow's `.numpy()` does), and torch's warning about `float(loss)` on such a
tensor is silenced: tf.keras programs do both everywhere.

`install()` puts a finder first on `sys.meta_path`; `import tensorflow.keras.layers` then
returns `kerastorch.layers` itself (the same module object), and `import tensorflow` the
TensorFlow stand-in `kerastorch.tf_standin`. `uninstall()` removes the finder and the
aliased entries of `sys.modules`. Plain `import kerastorch` never calls `install()`.

Example:
    >>> import sys
    >>> with aliases():
    ...     import tensorflow as tf
    ...     tf.keras.layers is sys.modules["kerastorch.layers"]
    True
    >>> "tensorflow" in sys.modules
    False
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from collections.abc import Iterator
from types import ModuleType

import numpy as np
import torch

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_IMPORTLIB_DIR = os.path.dirname(importlib.__file__) + os.sep

# Alias prefix -> kerastorch module prefix; the longest matching prefix wins.
ALIASES = {
    "keras": "kerastorch",
    "tf_keras": "kerastorch",
    "tensorflow": "kerastorch.tf_standin",
    "tensorflow.keras": "kerastorch",
    "tensorflow.keras.layers.experimental": "kerastorch.tf_standin.layers_experimental",
    "tensorflow.keras.layers.experimental.preprocessing": "kerastorch.layers",
    "keras.layers.experimental": "kerastorch.tf_standin.layers_experimental",
    "keras.layers.experimental.preprocessing": "kerastorch.layers",
}


def target_of(name: str) -> str | None:
    """The kerastorch module that the aliased module `name` stands for, or None."""
    matches = [p for p in ALIASES if name == p or name.startswith(p + ".")]
    if not matches:
        return None
    prefix = max(matches, key=len)
    return ALIASES[prefix] + name[len(prefix) :]


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias as its target: the import system then finds the target module under
    the alias's name in `sys.modules` (the target's own attributes stay untouched)."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # a placeholder module, replaced in exec_module

    def exec_module(self, module: ModuleType) -> None:
        sys.modules[module.__name__] = importlib.import_module(self.target)


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds the aliased names and loads the kerastorch module each stands for."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        kerastorch_name = target_of(fullname)
        if kerastorch_name is None or _imported_by_a_library():
            return None
        if importlib.util.find_spec(kerastorch_name) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(kerastorch_name))


def _numpy(self: torch.Tensor, *, force: bool = False) -> np.ndarray:
    """`Tensor.numpy()` as TensorFlow's: works on tensors that require grad or live on GPU."""
    return _TORCH_NUMPY(self.detach().cpu(), force=force)


_TORCH_NUMPY = torch.Tensor.numpy

# Modules of a real Keras or TensorFlow imported before `install()`, put back by `uninstall()`.
_SHADOWED: dict[str, ModuleType] = {}
_WARNING_FILTERS: list = []  # the warning filters before `install()`


def _imported_by_a_library() -> bool:
    """Whether the import comes from an installed package (other than kerastorch): libraries
    that probe for TensorFlow or Keras (TensorBoard, transformers, ...) must not find us."""
    frame = sys._getframe(2)
    while frame is not None and _is_import_machinery(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return False
    filename = os.path.abspath(frame.f_code.co_filename)
    if filename.startswith(_PACKAGE_DIR + os.sep):
        return False
    return any(part in ("site-packages", "dist-packages") for part in filename.split(os.sep))


def _is_import_machinery(filename: str) -> bool:
    return filename.startswith("<frozen importlib") or filename.startswith(_IMPORTLIB_DIR)


def _settle_tensorboard() -> None:
    """TensorBoard looks for TensorFlow lazily, on first use: resolve that now, while
    `tensorflow` is still the real one (or absent, which gives TensorBoard's own stub)."""
    try:
        import tensorboard.compat as compat
    except ImportError:
        return
    for name in ("tf", "tf2"):
        with contextlib.suppress(Exception):
            dir(getattr(compat, name))  # a lazy module loads on its first dir()


def install() -> None:
    """Make `keras`, `tensorflow.keras`, `tf_keras` and `tensorflow` import kerastorch."""
    if any(isinstance(f, AliasFinder) for f in sys.meta_path):
        return
    _settle_tensorboard()
    for name in [n for n in sys.modules if target_of(n) is not None]:
        _SHADOWED[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, AliasFinder())
    torch.Tensor.numpy = _numpy  # tf.keras programs call `.numpy()` on model outputs
    _WARNING_FILTERS[:] = warnings.filters
    warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad=True")


def uninstall() -> None:
    """Remove the aliases installed by `install()`; earlier real modules come back."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, AliasFinder)]
    torch.Tensor.numpy = _TORCH_NUMPY
    if _WARNING_FILTERS:
        warnings.filters[:] = _WARNING_FILTERS
        _WARNING_FILTERS.clear()
    for name in [n for n in sys.modules if target_of(n) is not None]:
        if getattr(sys.modules[name], "__name__", "").startswith("kerastorch"):
            del sys.modules[name]
    sys.modules.update(_SHADOWED)
    _SHADOWED.clear()


@contextlib.contextmanager
def aliases() -> Iterator[None]:
    """The aliases for the duration of a `with` block."""
    install()
    try:
        yield
    finally:
        uninstall()


__all__ = ["AliasFinder", "aliases", "install", "target_of", "uninstall"]
