"""Pipeline: Keras parity (outputs, weights, config), training default, masks, `.keras` files."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.preprocessing.pipeline import Pipeline
from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from kerastorch.layers.preprocessing.rescaling import Rescaling
from kerastorch.layers.preprocessing.string_lookup import StringLookup
from kerastorch.layers.regularization.dropout import Dropout
from tests.layer_checks import check_layer
from tests.layers.keras_files import assert_keras_files_round_trip
from tests.oracle import assert_close, keras_or_skip


def _plain(config):
    """A config with tuples as lists, without build configs and (counter-suffixed) names."""
    if isinstance(config, dict):
        return {k: _plain(v) for k, v in config.items() if k not in ("build_config", "name")}
    if isinstance(config, (list, tuple)):
        return [_plain(v) for v in config]
    return config


def test_pipeline_layer_checks():
    # The harness builds ours from the same kwargs as Keras's: layer instances cannot be
    # shared with Keras, so the oracle comparison is the test below.
    check_layer(
        Pipeline,
        {"layers": [Rescaling(0.5, offset=1.0), Dense(3)]},
        (2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        compare_with_keras=False,
    )


@pytest.mark.parity
def test_pipeline_matches_keras():
    keras = keras_or_skip()
    ours = Pipeline([Rescaling(0.5, offset=1.0), Dense(3), Dropout(0.5)])
    ref = keras.layers.Pipeline(
        [keras.layers.Rescaling(0.5, offset=1.0), keras.layers.Dense(3), keras.layers.Dropout(0.5)]
    )
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    ref(x, training=False)
    ours(torch.from_numpy(x), training=False)
    # Paths: Keras prefixes the pipeline's name, and layer-name counters differ by test order.
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [
        (w.name, tuple(w.shape)) for w in ref.weights
    ]
    ours.set_weights(ref.get_weights())
    assert_close(ours(torch.from_numpy(x), training=False), ref(x, training=False))
    config, ref_config = ours.get_config(), ref.get_config()
    assert _plain(config) == _plain(ref_config)
    symbolic = ours(Input((4,)))
    assert symbolic.shape == tuple(ref(keras.Input((4,))).shape)


def test_pipeline_defaults_to_training_like_keras():
    pipeline = Pipeline([Dropout(0.5, seed=1)])
    x = torch.ones(4, 8)
    assert not torch.equal(pipeline(x), x)  # no training argument: training=True
    assert torch.equal(pipeline(x, training=False), x)


def test_pipeline_passes_masks_and_host_inputs():
    embedded = Pipeline([Embedding(5, 2, mask_zero=True), Rescaling(2.0)])
    out = embedded(torch.tensor([[1, 0, 3]]))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True]])
    lookup = Pipeline([StringLookup(vocabulary=["a", "b"])])
    np.testing.assert_array_equal(lookup([["a", "c", "b"]]).numpy(), [[1, 0, 2]])


def test_pipeline_config_and_bad_config():
    pipeline = Pipeline([RandomBrightness(0.2, seed=3), Rescaling(0.1)], name="aug")
    config = pipeline.get_config()
    assert sorted(config) == ["layers", "name"]
    clone = Pipeline.from_config(config)
    assert [type(x).__name__ for x in clone.layers] == ["RandomBrightness", "Rescaling"]
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="must contain a `layers` key"):
        Pipeline.from_config({"name": "p"})


@pytest.mark.parity
def test_pipeline_keras_files_both_ways(tmp_path):
    def build(k, cls):
        inputs = k.Input((4,))
        pipeline = cls([k.layers.Rescaling(0.5), k.layers.Dense(2, kernel_initializer="ones")])
        return k.Model(inputs, pipeline(inputs, training=False))

    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    assert_keras_files_round_trip(tmp_path, build, x, Pipeline)
