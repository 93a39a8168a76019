"""`utils.get_source_inputs` finds the same inputs as Keras's."""

from __future__ import annotations

import numpy as np
import pytest

import kerastorch
from kerastorch.utils import get_source_inputs
from tests.oracle import keras_or_skip


def _graph(keras):
    a, b, c = (keras.Input((3,), name=name) for name in ("a", "b", "c"))
    shared = keras.layers.Dense(3, name="shared")
    h = keras.layers.Add(name="add")([shared(b), shared(a)])
    y = keras.layers.Concatenate(name="cat")([h, keras.layers.Dense(3, name="d")(c), a])
    return {"y": y, "h": h, "a": a}


@pytest.mark.parametrize(("output", "expected"), [("y", "bac"), ("h", "ba"), ("a", "a")])
def test_get_source_inputs_in_discovery_order(output, expected):
    tensors = get_source_inputs(_graph(kerastorch)[output])
    assert "".join(t._keras_history.layer.name for t in tensors) == expected


def test_get_source_inputs_passes_through_plain_values():
    x = np.zeros(3)
    assert get_source_inputs(x) is x
    bare = kerastorch.KerasTensor((None, 3))
    assert get_source_inputs(bare) is bare


@pytest.mark.parity
@pytest.mark.parametrize("output", ["y", "h", "a"])
def test_get_source_inputs_matches_keras(output):
    keras = keras_or_skip()
    ours = get_source_inputs(_graph(kerastorch)[output])
    theirs = keras.utils.get_source_inputs(_graph(keras)[output])
    assert [t._keras_history[0].name for t in ours] == [t._keras_history[0].name for t in theirs]
    assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs]
