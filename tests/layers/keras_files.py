"""`.keras` files both ways with real Keras: a shared check for layer tests.

`assert_keras_files_round_trip(tmp_path, build, inputs, layer_cls)` builds the same model
with kerastorch and with Keras (`build(module, cls)` returns a model, `cls` being our
`layer_cls` or Keras's class of the same name), saves ours and loads it in
Keras, saves Keras's and loads it here, and checks each loaded model returns the outputs of
the model that was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

import kerastorch
from tests.oracle import assert_close, keras_or_skip


def assert_keras_files_round_trip(
    tmp_path: Any,
    build: Callable[[Any, type], Any],
    inputs: Any,
    layer_cls: type,
    atol: float = 1e-5,
    keras_name: str | None = None,
) -> None:
    """Ours saved -> loaded by Keras, and Keras's saved -> loaded here: same outputs.

    `keras_name` is the class's name in `keras.layers` when it is not `layer_cls.__name__`.
    """
    name = keras_name or layer_cls.__name__
    keras = keras_or_skip()
    as_torch = [torch.as_tensor(x) for x in inputs] if isinstance(inputs, list) else (
        torch.as_tensor(inputs)
    )  # fmt: skip
    ours = build(kerastorch, layer_cls)
    ours_path = str(tmp_path / "ours.keras")
    ours.save(ours_path)
    in_keras = keras.saving.load_model(ours_path)
    assert_close(in_keras(inputs), ours(as_torch), atol=atol)

    theirs = build(keras, getattr(keras.layers, name))
    theirs_path = str(tmp_path / "theirs.keras")
    theirs.save(theirs_path)
    here = kerastorch.saving.load_model(theirs_path)
    assert_close(here(as_torch), theirs(inputs), atol=atol)
