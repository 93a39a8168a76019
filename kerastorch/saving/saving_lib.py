"""Keras 3's `.keras` archive and `.weights.h5` files, read and written in Keras's layout.

A `.keras` file is a zip of three members (and the `assets/` files, see `assets_store`):

- `metadata.json`: `{"keras_version": ..., "date_saved": ...}`;
- `config.json`: `serialize_keras_object(model)` (with the compile config);
- `model.weights.h5`: every layer's variables, at the paths Keras 3 writes them.

The paths come from walking the model as Keras does (`_walk`): a functional or Sequential
model's layers sit under `layers/<snake_case class name>[_<n>]` (`layers/dense`,
`layers/dense_1`, `layers/functional/layers/dense`), other sublayers under the attribute
that holds them (`layers/lstm/cell`, `layers/bidirectional/forward_layer/cell`), the
optimizer under `optimizer`. Each object's own variables are the datasets `vars/0`,
`vars/1`, ... of its group, in Keras's order (`save_own_variables` may write other keys).
Each `vars` group carries the object's name as its `name` attribute; loading uses it to
find a layer whose position differs from the file's.

Every file is written to a temporary file in the target's directory and renamed into place
(`os.replace`), so an interrupted save leaves any previous file intact. Loading reads only
JSON and numeric HDF5 datasets: links, external or virtual datasets and non-numeric data
are refused, so nothing in a file can run code (serialized lambdas need `safe_mode=False`).

Example:
    >>> import os, tempfile, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> save_model(model, path)
    >>> [p for p, _ in _walk(model)]
    ['', 'layers/dense']
    >>> load_model(path).count_params()
    8
"""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import h5py
import numpy as np
from torch import nn

from kerastorch.common import naming, serialization
from kerastorch.common.atomic import atomic_write
from kerastorch.distribution.gathering import gathered
from kerastorch.graph.operation import Operation
from kerastorch.layers.layer import Layer
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.saving import assets_store
from kerastorch.trainers.trainer import Trainer

KERAS_VERSION = "3.15.1"  # the Keras release whose file format is written
CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FILENAME = "model.weights.h5"
_MAX_MEMBER_BYTES = 1 << 32  # refuse zip members that declare more than 4 GiB...
_MAX_EXPANSION = 100  # ...while storing 100x less (a decompression bomb)


# -------------------------------------------------------------------------------------------
# Atomic writes
# -------------------------------------------------------------------------------------------
# `atomic_write` (temporaries named per process, fsync, stale-temporary cleanup) lives in
# `kerastorch.common.atomic`; it is imported above and re-exported here.


# -------------------------------------------------------------------------------------------
# Walking a model as Keras does
# -------------------------------------------------------------------------------------------
def _is_layer(obj: Any) -> bool:
    return isinstance(obj, Layer)


def _is_saveable(obj: Any) -> bool:
    return isinstance(obj, (Layer, Optimizer))


def _is_graph_model(obj: Any) -> bool:
    """A functional or Sequential model: its layers are its children, by name."""
    return getattr(obj, "operations", None) is not None


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name  # private attributes last


def _children(obj: Any) -> list[tuple[str, Any]]:
    """`(attribute, child)` pairs Keras would visit: saveables and containers of them."""
    if isinstance(obj, Optimizer):  # a wrapper's inner optimizers, each in its own group too
        inner = getattr(obj, "inner_optimizer", None)
        nested = getattr(obj, "optimizers", None)
        return [("inner_optimizer", inner)] if isinstance(inner, Optimizer) else (
            [("optimizers", list(nested))] if isinstance(nested, (list, tuple)) else []
        )  # fmt: skip
    if not _is_layer(obj):
        return []
    entries: dict[str, Any] = {}
    for attr, child in obj._modules.items():
        if child is None or (isinstance(child, Operation) and not _is_layer(child)):
            continue
        if _is_graph_model(obj) and _is_layer(child):
            continue  # registered under its layer name: visited through `layers`
        public = attr.lstrip("_")
        if attr.startswith("_") and public and isinstance(getattr(type(obj), public, None),
                                                          property):  # fmt: skip
            attr = public  # Keras reaches `self._query_dense` through the `query_dense` property
        if _is_layer(child):
            entries[attr] = child
        elif isinstance(child, _CONTAINERS) or any(_is_layer(m) for m in child.modules()):
            entries[attr] = _layers_in(child)
    if isinstance(obj, Trainer):  # a model: its layers and optimizer
        if not _is_graph_model(obj):
            entries["layers"] = obj.layers
        optimizer = getattr(obj, "optimizer", None)
        if getattr(obj, "compiled", False) and optimizer is not None:
            entries["optimizer"] = optimizer
    ordered = sorted(entries.items(), key=lambda item: _name_key(item[0]))
    if _is_graph_model(obj):
        ordered.insert(0, ("layers", obj.layers))
    return ordered


_CONTAINERS = (nn.ModuleList, nn.ModuleDict, nn.Sequential)  # a layer's lists and dicts


def _layers_in(module: nn.Module) -> list[Any]:
    """The layers inside a container module, in order: a nested list or dict stays a nested
    list (Keras's `container`, `container_1`, ...); other torch modules are looked through."""
    found: list[Any] = []
    for child in module.children():
        if _is_layer(child):
            found.append(child)
        elif isinstance(child, _CONTAINERS):
            found.append(_layers_in(child))
        else:
            found.extend(_layers_in(child))
    return found


def _walk(obj: Any, path: str = "", visited: set[int] | None = None) -> list[tuple[str, Any]]:
    """`(h5 path, object)` for `obj` and every saveable below it, as Keras 3 names them."""
    visited = set() if visited is None else visited
    if id(obj) in visited:
        return []
    visited.add(id(obj))
    result = [(path, obj)]
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if isinstance(child, list):
            result.extend(_walk_container(child, child_path, visited))
        elif _is_saveable(child):
            result.extend(_walk(child, child_path, visited))
    return result


def _walk_container(items: list[Any], path: str, visited: set[int]) -> list[tuple[str, Any]]:
    used: dict[str, int] = {}
    result = []
    for item in items:
        if not _is_saveable(item) and not isinstance(item, list):
            continue
        name = "container" if isinstance(item, list) else naming.to_snake_case(type(item).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        walk = _walk_container if isinstance(item, list) else _walk
        result.extend(walk(item, f"{path}/{name}", visited))
    return result


def _own_variables(obj: Any) -> list[Any]:
    if _is_layer(obj):
        return list(obj._trainable_variables) + list(obj._non_trainable_variables)
    return list(obj.variables)


# -------------------------------------------------------------------------------------------
# HDF5 stores
# -------------------------------------------------------------------------------------------
class _WriteEntry:
    """The `vars` group of one object, created on construction (with its `name`)."""

    def __init__(self, h5: h5py.File, path: str, name: str | None):
        self.group = h5.require_group(f"{path}/vars" if path else "vars")
        if name is not None:
            self.group.attrs["name"] = name

    def __setitem__(self, key: str, value: Any) -> None:
        self.group[key] = np.asarray(value)

    def keys(self) -> list[str]:
        return list(self.group.keys())

    def __len__(self) -> int:
        return len(self.group)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())


class _ReadEntry:
    """Read-only view of one object's `vars` group (empty when the file has none)."""

    def __init__(self, group: h5py.Group | None, path: str):
        self.group = group
        self.path = path

    def keys(self) -> list[str]:
        return [] if self.group is None else list(self.group.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __contains__(self, key: str) -> bool:
        return key in self.keys()

    def __getitem__(self, key: str) -> np.ndarray:
        if self.group is None:
            raise KeyError(key)
        return read_dataset(self.group, key)


def _check_link(parent: h5py.Group, name: str) -> None:
    kind = parent.get(name, default=None, getclass=True, getlink=True)
    if kind in (h5py.ExternalLink, h5py.SoftLink):
        raise ValueError(f"Not allowed: H5 file with {kind.__name__} at '{name}'")


def safe_group(parent: h5py.Group, path: str) -> h5py.Group | None:
    """The group at `path` below `parent`, or None; links are refused."""
    current = parent
    for part in path.split("/"):
        if not part:
            continue
        if part not in current:
            return None
        _check_link(current, part)
        current = current[part]
        if not isinstance(current, h5py.Group):
            raise ValueError(f"Invalid H5 file: expected a group at '{path}', found {current}")
    return current


def read_dataset(group: h5py.Group, key: str) -> np.ndarray:
    """A numeric dataset as an array; links, external/virtual data and objects are refused."""
    if key not in group:
        raise KeyError(key)
    _check_link(group, key)
    dataset = group[key]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Invalid H5 file: expected a dataset at '{key}', found {dataset}")
    if dataset.external:
        raise ValueError(f"Not allowed: H5 file with external dataset: {dataset.external}")
    if dataset.is_virtual:
        raise ValueError("Not allowed: H5 file with virtual dataset")
    if dataset.dtype.kind not in "biufcS":
        raise ValueError(
            f"Not allowed: H5 dataset '{dataset.name}' has dtype {dataset.dtype}; only numeric "
            "data is read."
        )
    declared = math.prod(dataset.shape) * dataset.dtype.itemsize
    if declared > _MAX_MEMBER_BYTES and declared > 1000 * dataset.id.get_storage_size():
        raise ValueError(
            f"Not allowed: H5 dataset '{dataset.name}' declares {declared} bytes but stores "
            "almost nothing; refusing a potential shape bomb."
        )
    return np.asarray(dataset[()])


def open_h5(source: Any, what: str) -> h5py.File:
    """Open an HDF5 file for reading; a file that is not HDF5 is a ValueError naming `what`."""
    try:
        return h5py.File(source, "r")
    except OSError as error:
        raise ValueError(
            f"{what} is not a valid HDF5 file ({error}). Only HDF5 weights are read; "
            "nothing else in a file is loaded."
        ) from error


# -------------------------------------------------------------------------------------------
# Saving and loading state
# -------------------------------------------------------------------------------------------
def save_state(obj: Any, h5: h5py.File) -> None:
    """Write the variables of `obj` and everything below it, in Keras's layout."""
    for path, saveable in _walk(obj):
        name = getattr(saveable, "name", None)
        entry = _WriteEntry(h5, path, name if isinstance(name, str) else None)
        if hasattr(saveable, "save_own_variables"):
            saveable.save_own_variables(entry)
        else:
            for i, variable in enumerate(_own_variables(saveable)):
                entry[str(i)] = variable.numpy()


def _find_group(h5: h5py.File, path: str, saveable: Any) -> h5py.Group | None:
    """The `vars` group for `saveable` at `path`, or a sibling group recorded under its name."""
    group = safe_group(h5, f"{path}/vars" if path else "vars")
    name = getattr(saveable, "name", None)
    if not path or not _is_layer(saveable) or not isinstance(name, str):
        return group
    if group is not None and group.attrs.get("name", name) == name:
        return group
    parent = safe_group(h5, path.rsplit("/", 1)[0]) if "/" in path else h5
    if parent is not None:
        for key in parent:
            candidate = safe_group(parent, f"{key}/vars")
            if candidate is not None and candidate.attrs.get("name") == name:
                return candidate
    return group


def load_state(obj: Any, h5: h5py.File, skip_mismatch: bool = False) -> list[str]:
    """Read the variables of `obj` and everything below it; returns the skipped objects."""
    failures: list[str] = []
    for path, saveable in _walk(obj):
        entry = _ReadEntry(_find_group(h5, path, saveable), path)
        try:
            if hasattr(saveable, "load_own_variables"):
                saveable.load_own_variables(entry)
            else:
                _load_own_variables(saveable, entry, path)
        except (ValueError, KeyError, RuntimeError) as error:
            if not skip_mismatch:
                raise
            failures.append(f"{path or saveable.name}: {error}")
    if failures:
        warnings.warn(
            f"Skipped loading weights of {len(failures)} objects (skip_mismatch=True): "
            + "; ".join(failures),
            stacklevel=3,
        )
    return failures


def _load_own_variables(layer: Any, entry: _ReadEntry, path: str) -> None:
    variables = _own_variables(layer)
    keys = entry.keys()
    if len(keys) != len(variables):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}, at '{path}' in the file) expected "
            f"{len(variables)} variables, but received {len(keys)} variables during loading. "
            f"Expected: {[(v.name, v.shape) for v in variables]}; found: "
            f"{[(k, tuple(entry.group[k].shape)) for k in keys] if keys else []}"
        )
    values = [entry[str(i)] for i in range(len(variables))]
    for variable, value in zip(variables, values, strict=False):
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}) weight '{variable.name}': "
                f"expected shape {tuple(variable.shape)}, found shape {tuple(value.shape)} in "
                f"the file (at '{path}/vars')."
            )
    for variable, value in zip(variables, values, strict=False):
        variable.assign(value)


# -------------------------------------------------------------------------------------------
# .weights.h5
# -------------------------------------------------------------------------------------------
def save_weights_only(model: Any, filepath: Any) -> None:
    """Write `model`'s weights (and optimizer state) to a Keras `.weights.h5` file."""
    if not model.built:
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    with gathered(model) as writes:  # a sharded model: gathered; process 0 writes
        if writes:
            with atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
                save_state(model, h5)


def load_weights_only(model: Any, filepath: Any, skip_mismatch: bool = False) -> None:
    """Read weights from a Keras `.weights.h5` file or the weights inside a `.keras` file."""
    if not model.built:
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building "
            "the model first by calling it on some data or by using `build()`."
        )
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with zipfile.ZipFile(filepath, "r") as archive:
            data = _read_member(archive, VARS_FILENAME)
        source: Any = io.BytesIO(data)
    else:
        source = filepath
    with open_h5(source, filepath) as h5:
        load_state(model, h5, skip_mismatch=skip_mismatch)


# -------------------------------------------------------------------------------------------
# .keras
# -------------------------------------------------------------------------------------------
def serialize_model_as_json(model: Any) -> tuple[str, str]:
    """`(config.json, metadata.json)` contents for `model`."""
    with serialization.ObjectSharingScope():
        config = serialization.serialize_keras_object(model)
    metadata = {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    return json.dumps(config), json.dumps(metadata)


def save_model(model: Any, filepath: Any) -> None:
    """Write `model` to a Keras 3 `.keras` archive (atomically)."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"Invalid `filepath` argument: expected a `.keras` extension. Received: "
            f"filepath={filepath}"
        )
    if not model.built:
        warnings.warn(
            "You are saving a model that has not yet been built. It might not contain any "
            "weights yet. Consider building the model first by calling it on some data.",
            stacklevel=3,
        )
    config_json, metadata_json = serialize_model_as_json(model)
    buffer = io.BytesIO()
    with gathered(model) as writes:  # a sharded model: gathered; process 0 writes
        if not writes:
            return
        with h5py.File(buffer, "w") as h5:
            save_state(model, h5)
        assets = assets_store.save_assets(_walk(model))  # Keras's `assets/<inner path>/...`
        with atomic_write(filepath) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            archive.writestr(METADATA_FILENAME, metadata_json)
            archive.writestr(CONFIG_FILENAME, config_json)
            archive.writestr(VARS_FILENAME, buffer.getvalue())
            for name, data in assets.items():
                archive.writestr(name, data)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    if name not in archive.namelist():
        raise ValueError(f"Invalid `.keras` file: it has no '{name}' member.")
    info = archive.getinfo(name)
    if info.file_size > _MAX_MEMBER_BYTES and info.file_size > _MAX_EXPANSION * info.compress_size:
        raise ValueError(
            f"Not allowed: ZIP member '{name}' declares {info.file_size} bytes but only "
            f"{info.compress_size} are stored; refusing a potential decompression bomb."
        )
    return archive.read(name)


def model_from_config_json(
    config_json: str | bytes,
    custom_objects: dict[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """The model a `config.json` describes (compiled as saved unless `compile=False`)."""
    config = json.loads(config_json)
    if not compile:
        config["compile_config"] = None
    with serialization.ObjectSharingScope():
        return serialization.deserialize_keras_object(
            config, custom_objects=custom_objects, safe_mode=safe_mode
        )


def load_model(
    filepath: Any,
    custom_objects: dict[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Read a Keras 3 `.keras` archive (written here or by Keras)."""
    source = filepath if isinstance(filepath, io.IOBase) else os.fspath(filepath)
    try:
        archive = zipfile.ZipFile(source, "r")
    except zipfile.BadZipFile as error:
        raise ValueError(f"{filepath} is not a valid `.keras` (zip) file: {error}") from error
    with archive:
        config_json = _read_member(archive, CONFIG_FILENAME)
        weights = _read_member(archive, VARS_FILENAME)
        assets = assets_store.read_assets(archive, _read_member)
    model = model_from_config_json(config_json, custom_objects, compile, safe_mode)
    with open_h5(io.BytesIO(weights), f"The '{VARS_FILENAME}' member of {filepath}") as h5:
        load_state(model, h5)
    assets_store.load_assets(_walk(model), assets)  # after the variables (TF-IDF weights)
    return model
