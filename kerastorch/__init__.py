"""kerastorch: the Keras API, running as native PyTorch.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    >>> model.count_params()
    10
"""

import importlib
from typing import Any

from kerastorch import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    distillation,
    distribution,
    dtype_policies,
    export,
    initializers,
    layers,
    legacy,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    preprocessing,
    quantizers,
    random,
    regularizers,
    saving,
    tree,
    utils,
)
from kerastorch.common.scopes import StatelessScope, SymbolicScope, device, name_scope
from kerastorch.dtype_policies import FloatDTypePolicy
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.graph.remat import RematScope, remat
from kerastorch.initializers import Initializer
from kerastorch.layers import Input, InputSpec, Layer
from kerastorch.losses import Loss
from kerastorch.metrics import Metric
from kerastorch.mixed_precision import DTypePolicy
from kerastorch.models import Model, Sequential
from kerastorch.ops.function import Function
from kerastorch.optimizers import Optimizer
from kerastorch.quantizers import Quantizer
from kerastorch.regularizers import Regularizer
from kerastorch.standin import install as _install_standin
from kerastorch.variables import Variable

__version__ = "0.1.0"

# `keras.config.dtype_policy` / `set_dtype_policy` are `mixed_precision`'s global policy
# functions (floor 2), which `config` (floor 0) cannot import: the entry point attaches them.
config.dtype_policy = mixed_precision.dtype_policy
config.set_dtype_policy = mixed_precision.set_dtype_policy
config.__all__ = sorted([*config.__all__, "dtype_policy", "set_dtype_policy"])
# Likewise `keras.mixed_precision.LossScaleOptimizer` (an optimizer, floor 4).
mixed_precision.LossScaleOptimizer = optimizers.LossScaleOptimizer
mixed_precision.__all__ = sorted([*mixed_precision.__all__, "LossScaleOptimizer"])


def version() -> str:
    """kerastorch's version (`keras.version()`; the files it writes say Keras 3.15.1)."""
    return __version__


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext kerastorch`: in this Jupyter kernel, `keras`, `tensorflow.keras`, `tf_keras`
    and `tensorflow` import kerastorch (as `kerastorch run` does for a script)."""
    _install_standin()


# Imported on first access (`kerastorch.applications`, `from kerastorch import datasets`): the
# model definitions weigh a third of the package's import time and most scripts use neither.
# `import kerastorch.applications` / `from kerastorch.applications import X` work as ever.
# wrappers: scikit-learn, 2 s; visualization: its OpenCV / matplotlib are optional anyway.
_LAZY_SUBMODULES = ("applications", "datasets", "visualization", "wrappers")


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"kerastorch.{name}")  # sets the attribute too
    raise AttributeError(f"module 'kerastorch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "Function",
    "Initializer",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Loss",
    "Metric",
    "Model",
    "Operation",
    "Optimizer",
    "Quantizer",
    "Regularizer",
    "RematScope",
    "Sequential",
    "StatelessScope",
    "SymbolicScope",
    "Variable",
    "__version__",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "device",
    "distillation",
    "distribution",
    "dtype_policies",
    "export",
    "initializers",
    "layers",
    "legacy",
    "load_ipython_extension",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "name_scope",
    "ops",
    "optimizers",
    "preprocessing",
    "quantizers",
    "random",
    "regularizers",
    "remat",
    "saving",
    "tree",
    "utils",
    "version",
    "visualization",
    "wrappers",
]
