"""kerastorch: the Keras API, running as native PyTorch.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    >>> model.count_params()
    10
"""

from typing import Any

from kerastorch import (
    activations,
    applications,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    distribution,
    dtype_policies,
    export,
    initializers,
    layers,
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
from kerastorch.common.scopes import StatelessScope, device, name_scope
from kerastorch.dtype_policies import FloatDTypePolicy
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
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
config.dtype_policy = mixed_precision.global_policy
config.set_dtype_policy = mixed_precision.set_global_policy
config.__all__ = sorted([*config.__all__, "dtype_policy", "set_dtype_policy"])


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext kerastorch`: in this Jupyter kernel, `keras`, `tensorflow.keras`, `tf_keras`
    and `tensorflow` import kerastorch (as `kerastorch run` does for a script)."""
    _install_standin()


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
    "Sequential",
    "StatelessScope",
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
    "distribution",
    "dtype_policies",
    "export",
    "initializers",
    "layers",
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
    "saving",
    "tree",
    "utils",
]
