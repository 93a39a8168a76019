"""Optimizers: Keras 3's names, defaults and update rules, on torch tensors.

`get("adam")`, `serialize(optimizer)` and `deserialize(config)` speak Keras's strings and
config dicts. Every optimizer has the Keras API (`apply_gradients`, `apply`, `build`) and a
fast torch face, `step()`, that reads `.grad` and updates all variables with `_foreach`
kernels, without host synchronisation.

Example:
    >>> from kerastorch import optimizers
    >>> type(optimizers.get("rmsprop")).__name__
    'RMSprop'
"""

from __future__ import annotations

import difflib
from typing import Any

from kerastorch.common import registry, serialization
from kerastorch.optimizers import legacy, schedules
from kerastorch.optimizers.adadelta import Adadelta
from kerastorch.optimizers.adafactor import Adafactor
from kerastorch.optimizers.adagrad import Adagrad
from kerastorch.optimizers.adam import Adam
from kerastorch.optimizers.adamax import Adamax
from kerastorch.optimizers.adamw import AdamW
from kerastorch.optimizers.ftrl import Ftrl
from kerastorch.optimizers.lamb import Lamb
from kerastorch.optimizers.lion import Lion
from kerastorch.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerastorch.optimizers.multi_optimizer import MultiOptimizer
from kerastorch.optimizers.muon import Muon
from kerastorch.optimizers.nadam import Nadam
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.optimizer_map import OptimizerMap
from kerastorch.optimizers.rmsprop import RMSprop
from kerastorch.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from kerastorch.optimizers.sgd import SGD

__all__ = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "MultiOptimizer",
    "Muon",
    "Nadam",
    "Optimizer",
    "OptimizerMap",
    "RMSprop",
    "SGD",
    "ScheduleFreeAdamW",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]

_CLASSES = (
    Adadelta,
    Adafactor,
    Adagrad,
    Adam,
    AdamW,
    Adamax,
    Ftrl,
    Lamb,
    Lion,
    LossScaleOptimizer,
    MultiOptimizer,
    Muon,
    Nadam,
    Optimizer,
    RMSprop,
    SGD,
    ScheduleFreeAdamW,
)
_BY_NAME: dict[str, type[Optimizer]] = {cls.__name__.lower(): cls for cls in _CLASSES}


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """The optimizer as Keras's config dict (`module`, `class_name`, `config`, ...).

    Example:
        >>> serialize(SGD())["class_name"]
        'SGD'
    """
    return serialization.serialize_keras_object(optimizer)


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Optimizer:
    """An optimizer from `serialize()`'s dict; built-in class names are case-insensitive.

    Reads Keras's own configs too, whatever module they name (Keras's torch backend writes
    `keras.src.backend.torch.optimizers.torch_adam`).

    Example:
        >>> deserialize({"class_name": "adam", "config": {"learning_rate": 0.01}}).name
        'adam'
    """
    if isinstance(config, dict) and str(config.get("class_name")).lower() in _BY_NAME:
        config = {**config, "class_name": config["class_name"].lower()}
    obj = serialization.deserialize_keras_object(
        config, module_objects=_BY_NAME, custom_objects=custom_objects
    )
    if isinstance(obj, Optimizer):
        return obj
    name = config.get("class_name") if isinstance(config, dict) else config
    close = difflib.get_close_matches(str(name).lower(), sorted(_BY_NAME), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise ValueError(
        f"Could not interpret optimizer identifier: '{name}'.{hint} Known optimizers: "
        f"{sorted(_BY_NAME)}."
    )


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name (`"adam"`), a config dict or an instance (returned as is).

    Example:
        >>> get("sgd").learning_rate.numpy().round(2)
        np.float32(0.01)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


registry.register_namespace("optimizers", globals(), __all__)
