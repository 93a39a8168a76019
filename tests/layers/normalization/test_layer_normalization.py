"""LayerNormalization: Keras parity for trailing axes, a NumPy oracle for the others."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.normalization import LayerNormalization
from tests.layer_checks import check_layer
from tests.oracle import assert_close


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({}, (2, 5)),
        ({}, (2, 3, 4)),
        ({"axis": [-2, -1], "epsilon": 1e-5}, (2, 3, 4)),
        ({"axis": [1, 2, 3]}, (2, 3, 2, 4)),
        ({"center": False}, (2, 3, 4)),
        ({"scale": False, "beta_initializer": "ones"}, (2, 3, 4)),
        ({"gamma_initializer": "random_normal", "gamma_regularizer": "l2"}, (3, 4)),
    ],
)
def test_layer_normalization_matches_keras(kwargs, shape):
    trainable = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    check_layer(
        LayerNormalization,
        kwargs,
        shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=trainable,
    )


def _numpy_layer_norm(x, axes, gamma, beta, epsilon):
    mean = x.mean(axis=tuple(axes), keepdims=True)
    var = x.var(axis=tuple(axes), keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


@pytest.mark.parametrize(("axis", "shape"), [(1, (2, 3, 4)), ([1, 2], (2, 3, 4, 5)), (0, (3, 2))])
def test_layer_normalization_non_trailing_axes_match_numpy(axis, shape):
    # Keras 3.15's torch backend hands these to F.layer_norm over the *last* axes (wrong or
    # an error); here they are normalized over the requested axes.
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype("float32")
    layer = LayerNormalization(axis=axis, epsilon=1e-3)
    layer.build(shape)
    gamma = rng.normal(size=layer.gamma.shape).astype("float32")
    beta = rng.normal(size=layer.beta.shape).astype("float32")
    layer.set_weights([gamma, beta])
    axes = [axis] if isinstance(axis, int) else axis
    bshape = [shape[d] if d in axes else 1 for d in range(len(shape))]
    expected = _numpy_layer_norm(x, axes, gamma.reshape(bshape), beta.reshape(bshape), 1e-3)
    assert_close(layer(torch.from_numpy(x)), expected)


def test_layer_normalization_axis_becomes_sorted_list_after_build():
    layer = LayerNormalization(axis=-1)
    assert layer.get_config()["axis"] == -1
    layer(Input((3, 4)))
    assert layer.get_config()["axis"] == [-1]
    assert LayerNormalization(axis=(2, 1)).get_config()["axis"] == [2, 1]


def test_layer_normalization_trailing_axes_use_f_layer_norm(monkeypatch):
    calls = []
    real = F.layer_norm
    monkeypatch.setattr(F, "layer_norm", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    LayerNormalization(axis=[-2, -1])(torch.randn(2, 3, 4))
    assert calls == [(3, 4)]


@pytest.mark.parity
def test_layer_normalization_rms_scaling_warns_and_matches_keras():
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        LayerNormalization(rms_scaling=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*rms_scaling=True")
        check_layer(
            LayerNormalization, {"rms_scaling": True}, (2, 3, 4), expected_num_trainable_weights=1
        )


def test_layer_normalization_rejects_bad_axis():
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="out of bounds"):
        LayerNormalization(axis=3)(torch.ones(2, 3))
