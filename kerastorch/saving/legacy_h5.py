"""tf.keras 2's HDF5 format (`.h5`), read and written as Keras's legacy H5 code does.

Layout of a model file:

- root attributes `model_config` (JSON `{"class_name": ..., "config": ...}`),
  `training_config` (compile arguments, optimizer as `optimizer_config`), `keras_version`,
  `backend`;
- group `model_weights` (attribute `layer_names`), one group per layer with attribute
  `weight_names` and a dataset per name, in the order `trainable_weights +
  non_trainable_weights`; layers are matched by order among the layers that have weights;
- group `optimizer_weights` (attribute `weight_names`) with the optimizer's variables.

A weights-only `.h5` file holds the content of `model_weights` at its root.

Example:
    >>> import os, tempfile, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
    >>> save_model_to_hdf5(model, path)
    >>> load_model_from_hdf5(path).count_params()
    8
"""

from __future__ import annotations

import inspect
import json
import warnings
from typing import Any

import h5py
import numpy as np

from kerastorch import losses, metrics, optimizers
from kerastorch.common import registry
from kerastorch.common.atomic import atomic_write
from kerastorch.common.safe_mode import SafeModeScope
from kerastorch.saving.saving_lib import KERAS_VERSION, open_h5, read_dataset, safe_group

_HEADER_LIMIT = 64512  # HDF5 object header limit: longer attribute lists are chunked


# -------------------------------------------------------------------------------------------
# Configs without "module" (tf.keras 2 and Keras 3's legacy writer)
# -------------------------------------------------------------------------------------------
def deserialize_legacy_layer(config: dict[str, Any], custom_objects: Any = None) -> Any:
    """A layer or model from a legacy `{"class_name": ..., "config": ...}` entry."""
    class_name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = registry.get_registered_object(class_name, custom_objects=custom_objects)
    if cls is None:
        name = "Functional" if class_name == "Model" else class_name
        cls = registry.builtin_object("keras.layers", name) or registry.builtin_object(
            "keras", name
        )
    if cls is None:
        raise ValueError(
            f"Unknown layer: '{class_name}'. Please ensure you are using a `keras.utils."
            "custom_object_scope` and that this object is included in the scope, or pass it "
            "in `custom_objects`."
        )
    inner = dict(config.get("config") or {})
    if isinstance(inner.get("dtype"), dict) and "class_name" in inner["dtype"]:
        inner["dtype"] = inner["dtype"].get("config", {}).get("name")
    with registry.CustomObjectScope(custom_objects):
        if "custom_objects" in inspect.signature(cls.from_config).parameters:  # models
            return cls.from_config(inner, custom_objects=custom_objects)
        return cls.from_config(inner)


def _attr_list(group: h5py.Group, name: str) -> list[str]:
    """A string-list attribute, also when it was split in chunks (`name0`, `name1`, ...)."""
    if name in group.attrs:
        values = list(group.attrs[name])
    else:
        values, i = [], 0
        while f"{name}{i}" in group.attrs:
            values.extend(group.attrs[f"{name}{i}"])
            i += 1
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in values]


def _save_attr_list(group: h5py.Group, name: str, values: list[str]) -> None:
    data = np.asarray([v.encode("utf8") for v in values]) if values else np.asarray([], "S1")
    chunks = 1
    parts = np.array_split(data, chunks)
    while any(p.nbytes > _HEADER_LIMIT for p in parts):
        chunks += 1
        parts = np.array_split(data, chunks)
    if chunks == 1:
        group.attrs[name] = data
    else:
        for i, part in enumerate(parts):
            group.attrs[f"{name}{i}"] = part


def _legacy_weights(layer: Any) -> list[Any]:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _unique_names(variables: list[Any]) -> list[str]:
    names: list[str] = []
    for variable in variables:
        name, i = variable.path, 1
        while name in names:
            name, i = f"{variable.path}_{i}", i + 1
        names.append(name)
    return names


def _write_subset(group: h5py.Group, variables: list[Any]) -> None:
    names = _unique_names(variables)
    _save_attr_list(group, "weight_names", names)
    for name, variable in zip(names, variables, strict=False):
        group.create_dataset(name, data=variable.numpy())


# -------------------------------------------------------------------------------------------
# Writing
# -------------------------------------------------------------------------------------------
def _write_weights(group: h5py.Group, model: Any) -> None:
    _save_attr_list(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for layer in sorted(model.layers, key=lambda x: x.name):
        _write_subset(group.create_group(layer.name), _legacy_weights(layer))
    own = [v for v in model._trainable_variables + model._non_trainable_variables]
    _write_subset(group.create_group("top_level_model_weights"), own)


def save_model_to_hdf5(model: Any, filepath: str, include_optimizer: bool = True) -> None:
    """Write `model` (config, weights, compile config, optimizer state) to a `.h5` file."""
    config = {
        "class_name": type(model).__name__,
        "config": model.get_config(),
    }
    with atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
        h5.attrs["backend"] = "torch"
        h5.attrs["keras_version"] = KERAS_VERSION
        h5.attrs["model_config"] = json.dumps(config)
        if include_optimizer and getattr(model, "compiled", False):
            compile_config = dict(model.get_compile_config())
            optimizer = compile_config.pop("optimizer", None)
            if optimizer is not None:
                compile_config["optimizer_config"] = {
                    "class_name": optimizer["class_name"],
                    "config": optimizer["config"],
                }
            h5.attrs["training_config"] = json.dumps(compile_config)
        _write_weights(h5.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.variables:
            group = h5.create_group("optimizer_weights")
            _write_subset(group, optimizer.variables)


def save_weights_to_hdf5(model: Any, filepath: str) -> None:
    """Write `model`'s weights to a tf.keras-style weights `.h5` file."""
    with atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
        _write_weights(h5, model)


# -------------------------------------------------------------------------------------------
# Reading
# -------------------------------------------------------------------------------------------
def _read_subset(group: h5py.Group) -> list[np.ndarray]:
    return [read_dataset(group, name) for name in _attr_list(group, "weight_names")]


def _set_weights(label: str, variables: list[Any], values: list[np.ndarray],
                 skip_mismatch: bool) -> None:  # fmt: skip
    for variable, value in zip(variables, values, strict=False):
        if tuple(variable.shape) != tuple(value.shape):
            message = (
                f"Shape mismatch in {label} for weight {variable.path}. Weight expects shape "
                f"{tuple(variable.shape)}. Received saved weight with shape {tuple(value.shape)}"
            )
            if skip_mismatch:
                warnings.warn(f"Skipping loading weights: {message}", stacklevel=3)
                continue
            raise ValueError(message)
        variable.assign(value)


def load_weights_from_group(
    group: h5py.Group, model: Any, skip_mismatch: bool = False, by_name: bool = False
) -> None:
    """Set `model`'s weights from a tf.keras `model_weights` group."""
    layer_names = [
        name
        for name in _attr_list(group, "layer_names")
        if _attr_list(safe_group(group, name), "weight_names")
    ]
    if by_name:
        layers = {layer.name: layer for layer in model.layers}
        for name in layer_names:
            if name in layers:
                values = _read_subset(safe_group(group, name))
                _set_weights(f"layer '{name}'", _legacy_weights(layers[name]), values,
                             skip_mismatch)  # fmt: skip
        return
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    if len(layer_names) != len(layers):
        raise ValueError(
            "Layer count mismatch when loading weights from file. Model expected "
            f"{len(layers)} layers with weights ({[layer.name for layer in layers]}), found "
            f"{len(layer_names)} saved layers ({layer_names})."
        )
    for k, (name, layer) in enumerate(zip(layer_names, layers, strict=False)):
        values = _read_subset(safe_group(group, name))
        variables = _legacy_weights(layer)
        if len(values) != len(variables):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the current "
                f"model, {name} in the save file). Layer expects {len(variables)} weight(s). "
                f"Received {len(values)} saved weight(s)"
            )
        _set_weights(f"layer #{k} (named {layer.name})", variables, values, skip_mismatch)


def load_weights_from_hdf5(
    model: Any, filepath: str, skip_mismatch: bool = False, by_name: bool = False
) -> None:
    """Load a tf.keras weights `.h5` file (or the weights of a tf.keras model file)."""
    with open_h5(filepath, filepath) as h5:
        group = safe_group(h5, "model_weights") if "model_weights" in h5 else h5
        load_weights_from_group(group, model, skip_mismatch=skip_mismatch, by_name=by_name)


def _decode(value: Any) -> Any:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _nested(deserialize: Any, config: Any) -> Any:
    """Deserialize a (nested list/dict of) legacy loss or metric config; names stay names."""
    if config is None or isinstance(config, str):
        return config
    if isinstance(config, list):
        return [_nested(deserialize, c) for c in config]
    if isinstance(config, dict) and "class_name" not in config:
        return {key: _nested(deserialize, value) for key, value in config.items()}
    return deserialize(config)


def load_model_from_hdf5(
    filepath: str,
    custom_objects: dict[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """A model from a tf.keras `.h5` file: config, weights, then compile and optimizer state."""
    with open_h5(filepath, filepath) as h5:
        model_config = h5.attrs.get("model_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file at {filepath}.")
        config = json.loads(_decode(model_config))
        with SafeModeScope(safe_mode):
            model = deserialize_legacy_layer(config, custom_objects)
        load_weights_from_group(safe_group(h5, "model_weights"), model)
        training_config = h5.attrs.get("training_config")
        if not compile or training_config is None:
            return model
        training = json.loads(_decode(training_config))
        optimizer_config = training.pop("optimizer_config", None)
        with registry.CustomObjectScope(custom_objects or {}):
            optimizer = optimizers.deserialize(optimizer_config) if optimizer_config else "rmsprop"
            args = {
                "loss": _nested(losses.deserialize, training.get("loss")),
                "metrics": _nested(metrics.deserialize, training.get("metrics")),
                "weighted_metrics": _nested(metrics.deserialize, training.get("weighted_metrics")),
                "loss_weights": training.get("loss_weights"),
            }
        model.compile(optimizer=optimizer, **args)
        if "optimizer_weights" in h5:
            model.optimizer.build(model.trainable_weights)
            values = _read_subset(safe_group(h5, "optimizer_weights"))
            try:
                model.optimizer.set_weights(values)
            except ValueError:
                warnings.warn(
                    "Error in loading the saved optimizer state. As a result, your model is "
                    "starting with a freshly initialized optimizer.",
                    stacklevel=2,
                )
    return model
