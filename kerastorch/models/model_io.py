"""`keras.models`' loading and saving functions: `load_model`, `save_model`, `model_from_json`.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model_from_json(model.to_json()).count_params()
    8
"""

from __future__ import annotations

from typing import Any

from kerastorch.saving.saving_api import load_model, save_model
from kerastorch.saving.saving_lib import model_from_config_json

__all__ = ["load_model", "model_from_json", "save_model"]


def model_from_json(json_string: str, custom_objects: dict[str, Any] | None = None) -> Any:
    """The model that `model.to_json()` describes (compiled if it was, as in Keras).

    Args:
        json_string: the JSON text (ours or Keras 3's `to_json()`).
        custom_objects: `{name: class_or_function}` for custom layers and functions.
    """
    return model_from_config_json(json_string, custom_objects=custom_objects)
