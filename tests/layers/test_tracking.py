"""Containers of layers assigned to a layer: tracked as torch modules, weights and all."""

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers import Dense, Layer
from kerastorch.layers.tracking import track_modules
from tests.oracle import keras_or_skip


class Nested(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [[Dense(2), Dense(2)], (Dense(2),)]
        self.heads = {"b": Dense(1), "a": Dense(3)}
        self.sizes = [1, 2]  # not modules: left as they are

    def call(self, x):
        for block in self.blocks:
            for layer in block:
                x = layer(x)
        return self.heads["b"](x) + self.heads.get("a")(x)[:, :1]


def test_track_modules_registers_nested_lists_and_dicts_of_layers():
    layer = Nested()
    layer(torch.ones(2, 4))
    assert isinstance(layer.blocks, torch.nn.ModuleList)
    assert isinstance(layer.blocks[1], torch.nn.ModuleList)
    assert list(layer.heads.keys()) == ["b", "a"]
    assert layer.sizes == [1, 2]
    assert len(layer.weights) == 10
    assert len(list(layer.parameters())) == 10
    assert "heads.a.linear.weight" in layer.state_dict()


def test_track_modules_leaves_other_containers_alone():
    mixed = [Dense(1), None]
    assert track_modules(mixed) is mixed
    assert track_modules([]) == []
    refused = {"a.b": Dense(1)}  # torch refuses dots in module names
    assert track_modules(refused) is refused


def test_track_modules_model_weights_train_as_keras_counts():
    keras_count = 4 * 2 + 2 + 2 * 2 + 2 + 2 * 2 + 2 + 2 * 1 + 1 + 2 * 3 + 3
    model = kt.Sequential([kt.Input((4,)), Nested()])
    assert model.count_params() == keras_count
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 4), "float32"), np.ones((4, 1), "float32"), verbose=0)


@pytest.mark.parity
def test_variable_paths_follow_name_scopes_as_keras():
    keras = keras_or_skip()

    def paths(lib):
        inner = lib.Sequential([lib.layers.Dense(3, name="d1")], name="inner")
        inputs = lib.Input((4,))
        functional = lib.Model(inputs, lib.layers.Dense(2, name="d2")(inner(inputs)))
        nested = lib.Sequential(
            [lib.Input((4,)), lib.Sequential([lib.layers.Dense(3, name="dense")], name="blk"),
             lib.layers.Dense(1, name="dense_1")], name="top")  # fmt: skip
        with lib.name_scope("scope"):
            scoped = lib.layers.Dense(2, name="ds")
            scoped.build((None, 3))
        attention = lib.layers.MultiHeadAttention(2, 4, name="mha")
        attention(lib.Input((5, 8)), lib.Input((5, 8)))
        return [v.path for m in (functional, nested, scoped, attention) for v in m.weights]

    ours = paths(kt)
    assert ours == paths(keras)
    assert {"top/blk/dense/kernel", "scope/ds/kernel"} <= set(ours)
