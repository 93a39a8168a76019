"""Embedding: Keras parity, masks (mask_zero) reaching downstream layers, tf.keras arguments."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent import LSTM
from kerastorch.models import Model, Sequential
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape", "dtype"),
    [
        ({"input_dim": 10, "output_dim": 4}, (2, 5), "int32"),
        ({"input_dim": 10, "output_dim": 3, "mask_zero": True}, (3, 4), "int64"),
        ({"input_dim": 7, "output_dim": 2}, (2, 3, 4), "int32"),
        ({"input_dim": 5, "output_dim": 3, "embeddings_initializer": "ones"}, (2, 3), "int32"),
        ({"input_dim": 6, "output_dim": 2, "embeddings_regularizer": "l2"}, (2, 3), "int32"),
        ({"input_dim": 6, "output_dim": 2, "embeddings_constraint": "unit_norm"}, (2, 3), "int64"),
        ({"input_dim": 10, "output_dim": 4}, (2, 5), "float32"),  # cast to int32, as Keras
    ],
)
def test_embedding_matches_keras(kwargs, shape, dtype):
    data = np.random.default_rng(0).integers(0, kwargs["input_dim"], size=shape).astype(dtype)
    result = check_layer(
        Embedding,
        kwargs,
        shape,
        expected_output_shape=(*shape, kwargs["output_dim"]),
        expected_num_trainable_weights=1,
        input_dtype=dtype,
        input_data=data,
        expected_output_dtype="float32",
    )
    assert result.layer.get_weights()[0].shape == (kwargs["input_dim"], kwargs["output_dim"])


def test_embedding_default_initializer_is_uniform_005():
    layer = Embedding(50, 40)
    layer.build()
    weights = layer.get_weights()[0]
    assert np.abs(weights).max() <= 0.05
    assert weights.std() > 0.02
    assert layer.get_config()["embeddings_initializer"]["class_name"] == "RandomUniform"


def test_embedding_mask_zero_attaches_mask_and_compute_mask():
    layer = Embedding(5, 2, mask_zero=True)
    x = torch.tensor([[3, 0, 1], [0, 0, 2]])
    out = layer(x)
    np.testing.assert_array_equal(out._keras_mask.numpy(), x.numpy() != 0)
    assert Embedding(5, 2).compute_mask(x) is None
    assert not hasattr(Embedding(5, 2)(x), "_keras_mask")


class _MaskReader(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, mask=None):
        self.seen.append(mask)
        return inputs


def test_embedding_mask_propagates_to_a_layer_reading_mask():
    reader = _MaskReader()
    x = torch.tensor([[1, 2, 0, 0], [4, 0, 0, 0]])
    model = Sequential([Input((4,), dtype="int64"), Embedding(6, 3, mask_zero=True), reader])
    model(x)
    np.testing.assert_array_equal(reader.seen[-1].numpy(), x.numpy() != 0)
    inputs = Input((4,), dtype="int64")
    functional = Model(inputs, _MaskReader()(Embedding(6, 3, mask_zero=True)(inputs)))
    functional(x)
    np.testing.assert_array_equal(functional.layers[-1].seen[-1].numpy(), x.numpy() != 0)


@pytest.mark.parity
def test_embedding_mask_zero_then_lstm_matches_keras():
    keras = keras_or_skip()
    x = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [1, 1, 1, 1, 1]], dtype="int32")
    ref = keras.Sequential(
        [keras.Input((5,), dtype="int32"), keras.layers.Embedding(6, 3, mask_zero=True),
         keras.layers.LSTM(4), keras.layers.Dense(2)]
    )  # fmt: skip
    ours = Sequential([Input((5,), dtype="int32"), Embedding(6, 3, mask_zero=True), LSTM(4),
                       Dense(2)])  # fmt: skip
    ours.set_weights(ref.get_weights())
    assert_close(ours(torch.from_numpy(x)), ref(x))
    unmasked = Sequential([Input((5,), dtype="int32"), Embedding(6, 3), LSTM(4), Dense(2)])
    unmasked.set_weights(ref.get_weights())
    assert not np.allclose(
        unmasked(torch.from_numpy(x)).detach().numpy(), ours(torch.from_numpy(x)).detach().numpy()
    )


def test_embedding_input_length_declares_the_input_shape():
    model = Sequential([Embedding(10, 4, input_length=6), Dense(2)])
    assert model.built
    assert model.output_shape == (None, 6, 2)
    assert "input_length" not in model.layers[0].get_config()


def test_embedding_weights_argument_and_regularizer_loss():
    matrix = np.arange(12, dtype="float32").reshape(4, 3)
    layer = Embedding(4, 3, weights=[matrix], embeddings_regularizer="l2")
    assert layer.built
    np.testing.assert_array_equal(layer(torch.tensor([[2]]))[0, 0].detach().numpy(), matrix[2])
    np.testing.assert_allclose(
        float(sum(layer.losses).detach()), 0.01 * (matrix**2).sum(), rtol=1e-6
    )
    assert list(layer.state_dict()) == ["embeddings"]


@pytest.mark.parametrize("bad", [0, -3, 2.0, True])
def test_embedding_rejects_bad_dims(bad):
    with pytest.raises(ValueError, match="`input_dim` must be a positive integer"):
        Embedding(bad, 3)
    with pytest.raises(ValueError, match="`output_dim` must be a positive integer"):
        Embedding(3, bad)


@pytest.mark.parametrize("bad", [10, -1])
def test_embedding_eager_index_out_of_range_names_the_layer(bad):
    layer = Embedding(10, 3, name="vocab")
    with pytest.raises(ValueError, match=f"'vocab'.*input_dim=10.*index {bad}"):
        layer(np.array([[1, bad, 2]]))
    assert layer(np.array([[0, 9]])).shape == (1, 2, 3)
