"""`KerasFileEditor`: inspect, edit and resave the weights of a `.keras` or `.weights.h5` file.

The editor reads a file's weights into a nested dict mirroring Keras's layout
(`{"layers": {"dense": {"0": kernel, "1": bias}}, "optimizer": {...}}`): each object's
`vars` group becomes a dict of arrays keyed by the variable's index. Objects are renamed,
deleted or added, weights deleted or added, the result checked against a model with
`compare` and written back (`save`, `resave_weights`). Files are read with the safe readers
of `saving_lib` (no links, external or virtual datasets) and written atomically: a failed
save leaves any previous file intact.

Output goes through `rich` when it is installed, in Keras's words; otherwise as plain text.

Differences from Keras: an object holding both its own variables and sub-objects (an `LSTM`
and its `cell`) keeps both (Keras's editor drops the sub-objects); a name is unique if it
occurs once (Keras's count can report a name twice in a compiled model's file); `save` also
writes a `.keras` file (with the opened file's config and metadata) when a `.keras` file was
opened.

Example:
    >>> import os, tempfile, numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> editor = KerasFileEditor(path)  # doctest: +ELLIPSIS
    Keras model file '...m.weights.h5'
    >>> editor.rename_object("dense", "dense_1")
    >>> editor.add_weights("dense_1", {"2": np.zeros((4,))})
    >>> editor.summary()
    Weights structure
      > layers
          └─ dense_1
              ├─ 0: shape=(2, 3), dtype=float32
              ├─ 1: shape=(3,), dtype=float32
              └─ 2: shape=(4,), dtype=float64
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import zipfile
from typing import Any, NamedTuple

import numpy as np

from kerastorch.common.atomic import atomic_write
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.saving import saving_lib
from kerastorch.saving.assets_store import read_assets

__all__ = ["KerasFileEditor"]

_MARKUP = re.compile(r"\[(?:bold|color\(\d+\)|/)\]")  # the rich tags written below
_RULE = "─" * 21


def _highlight(text: str) -> str:
    return f"[color(33)]{text}[/]"


def _bold(text: str) -> str:
    return f"[bold]{text}[/]"


def _shape(value: Any) -> tuple[int, ...]:
    return tuple(int(d) for d in (value.shape if hasattr(value, "shape") else np.shape(value)))


class KerasFileEditor:
    """Utility to inspect, edit, and resave Keras weights files.

    You will find this class useful when adapting an old saved weights file after having
    made architecture changes to a model.

    Args:
        filepath: The path to a local file to inspect and edit (`.keras` or `.weights.h5`).

    Attributes:
        weights_dict: the weights, a nested dict of NumPy arrays keyed by object and
            variable names.
        object_metadata: `{"/layers/dense": {"name": "dense"}, ...}`: the attributes of
            each object's group in the file.
        config, metadata: the `.keras` file's `config.json` and `metadata.json` (None for
            a `.weights.h5` file).

    Raises:
        ValueError: for a file that is neither `.keras` nor `.weights.h5`, or holds links,
            external or virtual datasets or non-numeric data.
    """

    def __init__(self, filepath: str | os.PathLike):
        import h5py

        self.filepath = os.fspath(filepath)
        self.metadata: dict | None = None
        self.config: dict | None = None
        self._assets: dict[str, bytes] = {}  # a `.keras` file's `assets/` (vocabularies)
        if self.filepath.endswith(".keras"):
            with zipfile.ZipFile(self.filepath, "r") as archive:
                read = functools.partial(saving_lib._read_member, archive)
                weights = read(saving_lib.VARS_FILENAME)
                self.config = json.loads(read(saving_lib.CONFIG_FILENAME))
                self.metadata = json.loads(read(saving_lib.METADATA_FILENAME))
                self._assets = read_assets(archive, saving_lib._read_member)
            source: Any = io.BytesIO(weights)
        elif self.filepath.endswith(".weights.h5"):
            source = self.filepath
        else:
            raise ValueError(
                "Invalid filename: expected a `.keras` `.weights.h5` extension. "
                f"Received: filepath={self.filepath}"
            )
        with saving_lib.open_h5(source, self.filepath) as h5:
            self.object_metadata: dict[str, dict] = {}
            self.weights_dict = self._extract(h5, "", h5py)
        self._print(f"Keras model file {_highlight(repr(self.filepath))}")
        if self.metadata is not None:
            version = _highlight(self.metadata.get("keras_version"))
            date = _highlight(self.metadata.get("date_saved"))
            self._print(f"Saved with Keras {version} - date: {date}")

    # -- reading ---------------------------------------------------------------------------
    def _extract(self, group: Any, inner_path: str, h5py: Any) -> dict[str, Any]:
        """The object at `group`: its own `vars` datasets, then its sub-objects' dicts."""
        result: dict[str, Any] = {}
        own = saving_lib.safe_group(group, "vars") if "vars" in group else None
        if own is not None and len(own):
            if own.attrs:
                self.object_metadata[inner_path] = dict(own.attrs.items())
            result.update({key: saving_lib.read_dataset(own, key) for key in own})
        for key in group:
            if own is not None and key == "vars":
                continue
            saving_lib._check_link(group, key)
            if isinstance(group[key], h5py.Group):
                child = self._extract(group[key], f"{inner_path}/{key}", h5py)
                if child:
                    result[key] = child
            else:
                result[key] = saving_lib.read_dataset(group, key)
        return result

    # -- printing --------------------------------------------------------------------------
    @staticmethod
    def _print(message: str) -> None:
        try:
            import rich.console
        except ImportError:
            print(_MARKUP.sub("", message))
            return
        rich.console.Console(highlight=False).print(message)

    def summary(self) -> None:
        """Prints the weight structure of the opened file."""
        self._print("Weights structure")
        self._print_tree(self.weights_dict, prefix=" " * 2, is_first=True)

    def _print_tree(self, tree: dict[str, Any], prefix: str, is_first: bool = False) -> None:
        for index, (key, value) in enumerate(tree.items()):
            is_last = index == len(tree) - 1
            connector = "> " if is_first else ("└─ " if is_last else "├─ ")
            is_first = False
            if isinstance(value, dict):
                self._print(f"{prefix}{connector}{_bold(key)}")
                self._print_tree(value, prefix + ("    " if is_last else "│   "))
            else:
                shape, dtype = _shape(value), np.asarray(value).dtype
                self._print(f"{prefix}{connector}{_bold(key)}: shape={shape}, dtype={dtype}")

    # -- comparing -------------------------------------------------------------------------
    def compare(self, reference_model: Any) -> dict[str, Any]:
        """Compares the opened file to a reference model.

        This method will list all mismatches between the currently opened file and the
        provided reference model.

        Args:
            reference_model: Model instance to compare to.

        Returns:
            Dict with the following keys: `'status'`, `'error_count'`, `'match_count'`.
            Status can be `'success'` or `'error'`. `'error_count'` is the number of
            mismatches found. `'match_count'` is the number of matching weights found.
        """
        self._print("Running comparison")
        reference = weight_spec(reference_model)
        checked: set[str] = set()
        errors, matches = self._compare(
            self.weights_dict, reference, "", "saved file", "reference model", 0, 0, checked
        )
        errors += self._compare(
            reference, self.weights_dict, "", "reference model", "saved file", 0, 0, checked
        )[0]
        self._print(_RULE)
        if errors == 0:
            self._print(
                "[color(28)][bold]Comparison successful:[/] saved file is compatible with the "
                "reference model[/]"
            )
            self._print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            self._print(
                f"[color(160)][bold]Found {errors} error{'' if errors == 1 else 's'}:[/] saved "
                "file is not compatible with the reference model[/]"
            )
        return {
            "status": "success" if errors == 0 else "error",
            "error_count": errors,
            "match_count": matches,
        }

    def _compare(
        self,
        target: dict[str, Any],
        reference: dict[str, Any],
        base_path: str,
        target_name: str,
        ref_name: str,
        errors: int,
        matches: int,
        checked: set[str],
    ) -> tuple[int, int]:
        """Keras's walk: each count is passed down and the subtree's total added back."""
        for key, ref_value in reference.items():
            path = f"{base_path}/{key}"
            if path in checked:
                continue
            kind = "Object" if isinstance(ref_value, dict) else "Weight"
            if key not in target:
                errors += 1
                checked.add(path)
                self._print(
                    f"[color(160)]...{kind} [bold]{path}[/] present in {ref_name}, missing "
                    f"from {target_name}[/]"
                )
                if isinstance(ref_value, dict):
                    self._print(
                        f"    In {ref_name}, {path} contains the following keys: "
                        f"{list(ref_value.keys())}"
                    )
            elif isinstance(ref_value, dict) and isinstance(target[key], dict):
                sub_errors, sub_matches = self._compare(
                    target[key], ref_value, path, target_name, ref_name, errors, matches, checked
                )
                errors += sub_errors
                matches += sub_matches
            elif isinstance(ref_value, dict) or isinstance(target[key], dict):
                errors += 1
                checked.add(path)
                self._print(
                    f"[color(160)]...[bold]{path}[/] is an object in one of {ref_name} and "
                    f"{target_name} and a weight in the other[/]"
                )
            elif _shape(target[key]) != _shape(ref_value):
                errors += 1
                checked.add(path)
                self._print(
                    f"[color(160)]...Weight shape mismatch for [bold]{path}[/][/]\n"
                    f"    In {ref_name}: shape={_shape(ref_value)}\n"
                    f"    In {target_name}: shape={_shape(target[key])}"
                )
            else:
                matches += 1
        return errors, matches

    # -- editing ---------------------------------------------------------------------------
    def _edit_object(self, edit_fn: Any, source_name: str, target_name: str | None = None) -> None:
        if target_name is not None and "/" in target_name:
            raise ValueError(
                "Argument `target_name` should be a leaf name, not a full path name. "
                f"Received: target_name='{target_name}'"
            )
        if "/" in source_name:
            *parents, leaf = source_name.split("/")
            tree = self.weights_dict
            for element in parents:
                if not isinstance(tree.get(element), dict):
                    raise ValueError(f"Path '{source_name}' not found in model.")
                tree = tree[element]
            if leaf not in tree:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit_fn(tree, source_name=leaf, target_name=target_name)
            return
        holders = list(_holders(self.weights_dict, source_name))
        if len(holders) > 1:
            raise ValueError(
                f"Name '{source_name}' occurs more than once in the model; try passing a "
                "complete path"
            )
        if not holders:
            raise ValueError(
                f"Source name '{source_name}' does not appear in the model. Use "
                "`editor.weights_summary()` to list all objects."
            )
        edit_fn(holders[0], source_name=source_name, target_name=target_name)

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Rename an object in the file (e.g. a layer).

        Args:
            object_name: String, name or path of the object to rename (e.g. `"dense_2"` or
                `"layers/dense_2"`).
            new_name: String, new name of the object.
        """

        def rename_fn(tree: dict, source_name: str, target_name: str) -> None:
            tree[target_name] = tree.pop(source_name)

        self._edit_object(rename_fn, object_name, new_name)

    def delete_object(self, object_name: str) -> None:
        """Removes an object from the file (e.g. a layer).

        Args:
            object_name: String, name or path of the object to delete (e.g. `"dense_2"` or
                `"layers/dense_2"`).
        """

        def delete_fn(tree: dict, source_name: str, target_name: None = None) -> None:
            tree.pop(source_name)

        self._edit_object(delete_fn, object_name)

    def add_object(self, object_path: str, weights: dict[str, Any]) -> None:
        """Add a new object to the file (e.g. a layer).

        Args:
            object_path: String, full path of the object to add (e.g. `"layers/dense_2"`).
            weights: Dict mapping weight names to weight values (arrays), e.g.
                `{"0": kernel_value, "1": bias_value}`.
        """
        _check_weights(weights)
        *parents, leaf = object_path.split("/")
        tree = self.weights_dict
        for element in parents:
            if not isinstance(tree.get(element), dict):
                raise ValueError(f"Path '{'/'.join(parents)}' not found in model.")
            tree = tree[element]
        tree[leaf] = dict(weights)

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Removes a weight from an existing object.

        Args:
            object_name: String, name or path of the object from which to remove the weight
                (e.g. `"dense_2"` or `"layers/dense_2"`).
            weight_name: String, name of the weight to delete (e.g. `"0"`).
        """

        def delete_weight_fn(tree: dict, source_name: str, target_name: None = None) -> None:
            if weight_name not in tree[source_name]:
                raise ValueError(
                    f"Weight {weight_name} not found in object {object_name}. Weights found: "
                    f"{list(tree[source_name].keys())}"
                )
            tree[source_name].pop(weight_name)

        self._edit_object(delete_weight_fn, object_name)

    def add_weights(self, object_name: str, weights: dict[str, Any]) -> None:
        """Add one or more new weights to an existing object.

        Args:
            object_name: String, name or path of the object to add the weights to (e.g.
                `"dense_2"` or `"layers/dense_2"`).
            weights: Dict mapping weight names to weight values (arrays), e.g.
                `{"0": kernel_value, "1": bias_value}`.
        """
        _check_weights(weights)

        def add_weight_fn(tree: dict, source_name: str, target_name: None = None) -> None:
            tree[source_name].update(weights)

        self._edit_object(add_weight_fn, object_name)

    # -- writing ---------------------------------------------------------------------------
    def save(self, filepath: str | os.PathLike) -> None:
        """Save the edited weights file.

        Args:
            filepath: Path to save the file to: a `.weights.h5` file, or a `.keras` file
                (with the opened `.keras` file's config, metadata and assets).
        """
        filepath = os.fspath(filepath)
        if filepath.endswith(".weights.h5"):
            with atomic_write(filepath) as tmp:
                self._write_h5(tmp)
            return
        if not filepath.endswith(".keras"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` extension (or "
                f"`.keras` when a `.keras` file was opened). Received: filepath={filepath}"
            )
        if self.config is None:
            raise ValueError(
                f"Cannot save {filepath}: a `.keras` file needs the model's config, and the "
                f"opened file ({self.filepath}) has none. Save to a `.weights.h5` file."
            )
        buffer = io.BytesIO()
        self._write_h5(buffer)
        with atomic_write(filepath) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            archive.writestr(saving_lib.METADATA_FILENAME, json.dumps(self.metadata))
            archive.writestr(saving_lib.CONFIG_FILENAME, json.dumps(self.config))
            archive.writestr(saving_lib.VARS_FILENAME, buffer.getvalue())
            for name, contents in self._assets.items():
                archive.writestr(name, contents)

    def resave_weights(self, filepath: str | os.PathLike) -> None:
        """Save the edited weights to a `.weights.h5` file.

        Args:
            filepath: Path to save the file to. Must be a `.weights.h5` file.
        """
        if not os.fspath(filepath).endswith(".weights.h5"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` extension. "
                f"Received: filepath={os.fspath(filepath)}"
            )
        self.save(filepath)

    def _write_h5(self, target: Any) -> None:
        import h5py

        def write(tree: dict[str, Any], group: Any) -> None:
            for name, value in tree.items():
                if isinstance(value, dict):
                    if value:
                        write(value, group.require_group(name))
                else:
                    group.require_group("vars")[name] = np.asarray(value)

        with h5py.File(target, "w") as h5:
            write(self.weights_dict, h5)


class WeightSpec(NamedTuple):
    """The shape and dtype of one weight a model would save."""

    shape: tuple[int, ...]
    dtype: str


def _holders(tree: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Every dict in `tree` (depth first, `tree` last) that has a key `name`."""
    found = [h for value in tree.values() if isinstance(value, dict) for h in _holders(value, name)]
    return found + ([tree] if name in tree else [])


def _check_weights(weights: Any) -> None:
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight names (usually '0', "
            "'1', etc.) and values are NumPy arrays. "
            f"Received: type(weights)={type(weights)}"
        )


def weight_spec(model: Any) -> dict[str, Any]:
    """The weights `model` would save, as the editor's nested dict of shapes and dtypes.

    Each leaf is a `WeightSpec(shape, dtype)`, keyed as in the file (an object's keys sorted
    as Keras sorts them).

    Example:
        >>> import kerastorch as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
        >>> {k: v.shape for k, v in weight_spec(model)["layers"]["dense"].items()}
        {'0': (2, 3), '1': (3,)}
    """
    spec: dict[str, Any] = {}
    for path, saveable in saving_lib._walk(model):
        store: dict[str, Any] = {}
        if hasattr(saveable, "save_own_variables"):
            saveable.save_own_variables(store)
        else:
            for index, variable in enumerate(saving_lib._own_variables(saveable)):
                store[str(index)] = variable
        if not store:
            continue
        node = spec
        for element in filter(None, path.split("/")):
            node = node.setdefault(element, {})
        for key in sorted(store):
            node[key] = WeightSpec(_shape(store[key]), standardize_dtype(store[key].dtype))
    return spec
