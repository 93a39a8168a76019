"""`save_model` / `load_model` / `save_weights` / `load_weights`, as `keras.saving` has them.

The file kind follows the extension, as in Keras: `.keras` (Keras 3 archive),
`.weights.h5` (Keras 3 weights), `.h5` / `.hdf5` (tf.keras 2 legacy HDF5).

Example:
    >>> import os, tempfile, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
    >>> save_weights(model, path)
    >>> load_weights(model, path)
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch.common.checkpoint_paths import is_checkpoint_path
from kerastorch.saving import legacy_h5, saving_lib

_LEGACY_SUFFIXES = (".h5", ".hdf5")


def _confirm_overwrite(filepath: str, overwrite: bool) -> bool:
    if overwrite or not os.path.exists(filepath):
        return True
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n] ")
    return answer.strip().lower() in ("y", "yes")


def save_model(model: Any, filepath: Any, overwrite: bool = True, **kwargs: Any) -> None:
    """Save `model` to `filepath` (`.keras`, or tf.keras `.h5`).

    Args:
        model: the model.
        filepath: a path ending in `.keras` (Keras 3 archive) or `.h5` (legacy).
        overwrite: whether to replace an existing file without asking.
        **kwargs: `zipped` (only `True`/`None` is supported) and, for `.h5`,
            `include_optimizer`.
    """
    zipped = kwargs.pop("zipped", None)
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    if zipped is False:
        raise ValueError("`zipped=False` (an unzipped model directory) is not supported.")
    path = os.fspath(filepath)
    if save_format == "h5" or path.endswith(_LEGACY_SUFFIXES):
        if _confirm_overwrite(path, overwrite):
            legacy_h5.save_model_to_hdf5(model, path, include_optimizer=include_optimizer)
        return
    if not path.endswith(".keras"):
        savedmodel = (
            " A path without extension is a TensorFlow SavedModel directory in tf.keras 2, "
            "which kerastorch cannot write: save to `name.keras` (or `name.h5`) instead."
            if not os.path.splitext(os.path.basename(path.rstrip("/")))[1]
            else ""
        )
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension "
            "for the native Keras format (recommended) or a `.h5` extension. Use "
            "`model.export(filepath)` if you want to export an ONNX file for inference. "
            f"Received: filepath={path}.{savedmodel}"
        )
    if _confirm_overwrite(path, overwrite):
        saving_lib.save_model(model, path)


def load_model(
    filepath: Any,
    custom_objects: dict[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Load a model saved with `save_model` (here or by Keras): `.keras` or tf.keras `.h5`.

    Args:
        filepath: the file.
        custom_objects: `{name: class_or_function}` for custom objects in the config.
        compile: whether to compile the model as it was saved.
        safe_mode: refuse to load serialized lambdas (arbitrary code). Defaults to `True`.
    """
    path = os.fspath(filepath)
    if path.endswith(_LEGACY_SUFFIXES):
        return legacy_h5.load_model_from_hdf5(
            path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if path.endswith(".keras"):
        return saving_lib.load_model(
            path, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    raise ValueError(
        f"File format not supported: filepath={path}. kerastorch supports `.keras` files "
        "(Keras 3) and legacy `.h5` files (tf.keras 2). A TensorFlow SavedModel cannot be "
        "loaded."
    )


def save_weights(
    model: Any, filepath: Any, overwrite: bool = True, max_shard_size: Any = None
) -> None:
    """Save `model`'s weights: `.weights.h5` (Keras 3 layout) or `.h5` (tf.keras layout).

    A tf.keras checkpoint path (`cp.ckpt`, `my_checkpoint`) gets the `.weights.h5` layout,
    under exactly that name, so `load_weights(path)` reads it back (tf.keras wrote a
    TensorFlow checkpoint there; Keras 3 rejects such paths).
    """
    path = os.fspath(filepath)
    if max_shard_size is not None:
        raise ValueError("Sharded weights (`max_shard_size`) are not supported.")
    if not path.endswith(".weights.h5") and path.endswith(_LEGACY_SUFFIXES):
        if _confirm_overwrite(path, overwrite):
            legacy_h5.save_weights_to_hdf5(model, path)
        return
    if not path.endswith(".weights.h5") and not is_checkpoint_path(path):
        raise ValueError(
            "The filename must end in `.weights.h5` (or be a tf.keras checkpoint path such "
            f"as `cp.ckpt`). Received: filepath={path}"
        )
    if _confirm_overwrite(path, overwrite):
        saving_lib.save_weights_only(model, path)


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
    """Load weights into `model` from `.weights.h5`, `.keras` or a tf.keras `.h5` file, or
    from a checkpoint path (`cp.ckpt`) that kerastorch's `save_weights` wrote.

    Args:
        model: a built model with the file's architecture.
        filepath: the file.
        skip_mismatch: skip (with a warning) the layers whose variables do not match.
        **kwargs: `by_name` (tf.keras `.h5` files only).
    """
    path = os.fspath(filepath)
    by_name = kwargs.pop("by_name", False)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if is_checkpoint_path(path) and not os.path.exists(path):
        if os.path.exists(path + ".index"):
            raise ValueError(
                f"'{path}' is a TensorFlow checkpoint written by tf.keras: kerastorch cannot read "
                "TensorFlow checkpoints. Save the weights again with kerastorch (to the same "
                "path), or to a `.weights.h5` / `.h5` file with tf.keras."
            )
        raise FileNotFoundError(f"No weights file found at '{path}'.")
    if path.endswith((".keras", ".weights.h5")) or is_checkpoint_path(path):
        if by_name:
            raise ValueError("`by_name` is only supported for legacy `.h5` weight files.")
        saving_lib.load_weights_only(model, path, skip_mismatch=skip_mismatch)
    elif path.endswith(_LEGACY_SUFFIXES):
        legacy_h5.load_weights_from_hdf5(model, path, skip_mismatch=skip_mismatch, by_name=by_name)
    else:
        raise ValueError(
            "File format not supported: filepath="
            f"{path}. kerastorch supports `.keras`, `.weights.h5` and legacy `.h5` files."
        )
