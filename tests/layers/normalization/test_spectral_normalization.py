"""SpectralNormalization: Keras parity of the power iteration and the kernel update."""

import numpy as np
import pytest
import torch

from kerastorch.layers.conv import Conv2D
from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.normalization import SpectralNormalization
from kerastorch.models import Model
from tests.oracle import assert_close, keras_or_skip


def _pair(keras, name, kwargs, power_iterations, shape):
    ref = keras.layers.SpectralNormalization(
        getattr(keras.layers, name)(**kwargs), power_iterations=power_iterations
    )
    ours = SpectralNormalization(
        {"Dense": Dense, "Conv2D": Conv2D, "Embedding": Embedding}[name](**kwargs),
        power_iterations=power_iterations,
    )
    ref.build(shape)
    ours.build(shape)
    return ref, ours


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs", "iterations", "shape", "dtype"),
    [
        ("Dense", {"units": 3}, 1, (4, 5), "float32"),
        ("Dense", {"units": 4, "activation": "tanh"}, 3, (2, 3, 6), "float32"),
        ("Conv2D", {"filters": 3, "kernel_size": 2}, 2, (2, 5, 5, 2), "float32"),
        ("Embedding", {"input_dim": 6, "output_dim": 3}, 1, (2, 4), "int32"),
    ],
)
def test_spectral_normalization_matches_keras(name, kwargs, iterations, shape, dtype):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    ref, ours = _pair(keras, name, kwargs, iterations, shape)
    assert [w.name for w in ours.weights] == [w.name for w in ref.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in ref.get_weights()]
    assert ours.count_params() == ref.count_params()
    ours.set_weights(ref.get_weights())
    for _ in range(3):
        if dtype == "int32":
            x = rng.integers(0, 6, size=shape).astype(dtype)
        else:
            x = rng.normal(size=shape).astype(dtype)
        assert_close(ours(torch.from_numpy(x), training=True), ref(x, training=True))
        assert_close(ours.get_weights(), ref.get_weights(), atol=1e-6)
    assert_close(ours(torch.from_numpy(x)), ref(x))
    expected = {k: v for k, v in ref.get_config().items() if k != "name"}
    got = {k: v for k, v in ours.get_config().items() if k != "name"}
    assert got["layer"]["config"].pop("name")
    assert expected["layer"]["config"].pop("name")
    assert got == expected


def test_spectral_normalization_training_bounds_the_spectral_norm():
    layer = SpectralNormalization(Dense(4, kernel_initializer="ones"), power_iterations=5)
    layer(torch.randn(3, 6), training=True)
    sigma = torch.linalg.matrix_norm(layer.layer.kernel.value.detach(), ord=2)
    assert abs(float(sigma) - 1.0) < 1e-3


def test_spectral_normalization_zero_kernel_is_left_alone_and_inference_is_plain():
    layer = SpectralNormalization(Dense(2, kernel_initializer="zeros"))
    u_before = layer(torch.ones(1, 3)) is not None and layer.vector_u.numpy().copy()
    layer(torch.ones(1, 3), training=True)
    np.testing.assert_array_equal(layer.vector_u.numpy(), u_before)
    assert not layer.layer.kernel.numpy().any()


def test_spectral_normalization_in_a_model_with_gradients_and_config_round_trip():
    inputs = Input((5,))
    layer = SpectralNormalization(Dense(3))
    model = Model(inputs, layer(inputs))
    assert model.output_shape == (None, 3)
    out = model(torch.randn(4, 5), training=True)
    out.sum().backward()
    assert layer.layer.kernel.grad is not None
    assert layer.layer.bias.grad is not None
    clone = SpectralNormalization.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert isinstance(clone.layer, Dense)


def test_spectral_normalization_rejects_layers_without_kernel_and_bad_iterations():
    with pytest.raises(ValueError, match="should be greater than zero"):
        SpectralNormalization(Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="supported layer type"):
        SpectralNormalization("dense")
    from kerastorch.layers.normalization import UnitNormalization

    with pytest.raises(ValueError, match="no attribute 'kernel' nor 'embeddings'"):
        SpectralNormalization(UnitNormalization())(torch.ones(2, 3))
