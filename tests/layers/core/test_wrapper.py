"""Wrapper: the abstract base of wrapping layers; a subclass here and in Keras agree."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.wrapper import Wrapper
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


class Residual(Wrapper):
    """`inputs + layer(inputs)`: a minimal concrete wrapper."""

    def call(self, inputs):
        return inputs + self.layer(inputs)


def test_wrapper_subclass_layer_checks():
    # A test-only subclass: Keras's `keras.layers` has no `Residual` (the oracle test below
    # builds the same subclass on Keras's Wrapper).
    check_layer(
        Residual,
        {"layer": Dense(4)},
        (2, 4),
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=2,
        compare_with_keras=False,
    )


@pytest.mark.parity
def test_wrapper_subclass_matches_keras():
    keras = keras_or_skip()

    class KerasResidual(keras.layers.Wrapper):
        def call(self, inputs):
            return inputs + self.layer(inputs)

    ours, ref = (
        Residual(Dense(3, use_bias=False)),
        KerasResidual(keras.layers.Dense(3, use_bias=False)),
    )
    ours.build((None, 3))
    ref.build((None, 3))
    assert ours.layer.built
    assert ref.layer.built
    ours.set_weights(ref.get_weights())
    x = np.random.default_rng(0).normal(size=(2, 3)).astype("float32")
    assert_close(ours(torch.from_numpy(x)), ref(x))
    mine = {k: v for k, v in ours.get_config().items() if k != "name"}
    theirs = {k: v for k, v in ref.get_config().items() if k != "name"}
    mine["layer"].pop("build_config", None)
    theirs["layer"].pop("build_config", None)
    mine["layer"]["config"].pop("name")
    theirs["layer"]["config"].pop("name")
    assert mine == theirs


def test_wrapper_config_round_trip_and_errors():
    layer = Residual(Dense(2, name="inner"), name="res")
    clone = Residual.from_config(layer.get_config())
    assert isinstance(clone.layer, Dense)
    assert clone.layer.name == "inner"
    assert clone.name == "res"
    with pytest.raises(ValueError, match="supplied to Wrapper isn't a supported layer type"):
        Residual("dense")
    with pytest.raises(NotImplementedError):
        Wrapper(Dense(2))(torch.ones(1, 2))
