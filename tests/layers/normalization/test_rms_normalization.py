"""RMSNormalization: Keras parity, `F.rms_norm` on trailing axes, `.keras` files both ways."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.normalization import RMSNormalization
from tests.layer_checks import check_layer
from tests.layers.keras_files import assert_keras_files_round_trip
from tests.oracle import assert_close


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [({}, (2, 5)), ({"epsilon": 1e-3}, (2, 3, 4)), ({"axis": [-2, -1]}, (2, 3, 4))],
)
def test_rms_normalization_matches_keras(kwargs, shape):
    check_layer(
        RMSNormalization,
        kwargs,
        shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=1,
    )


def test_rms_normalization_non_trailing_axis_matches_numpy():
    # Keras's torch backend hands a non-trailing axis to F.rms_norm, which normalizes the
    # last axes instead; here the requested axis is normalized.
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    layer = RMSNormalization(axis=1, epsilon=1e-6)
    scale = np.array([0.5, 1.0, 2.0], "float32")
    layer.build(x.shape)
    layer.set_weights([scale])
    expected = x / np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-6) * scale[:, None]
    assert_close(layer(torch.from_numpy(x)), expected)


def test_rms_normalization_uses_f_rms_norm_and_keeps_half_dtype(monkeypatch):
    calls = []
    real = F.rms_norm
    monkeypatch.setattr(F, "rms_norm", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    y = RMSNormalization(dtype="bfloat16")(torch.randn(2, 3, 4, dtype=torch.bfloat16))
    assert calls == [[4]]
    assert y.dtype == torch.bfloat16


def test_rms_normalization_bad_axis_is_a_clear_error():
    with pytest.raises(ValueError, match="Axis 3 is out of bounds"):
        RMSNormalization(axis=3).build((2, 4))


@pytest.mark.parity
def test_rms_normalization_keras_files_both_ways(tmp_path):
    def build(k, cls):
        inputs = k.Input((3, 4))
        layer = cls(axis=[-2, -1], epsilon=1e-4)
        model = k.Model(inputs, layer(inputs))
        layer.set_weights([np.arange(12, dtype="float32").reshape(3, 4) / 6])
        return model

    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    assert_keras_files_round_trip(tmp_path, build, x, RMSNormalization)
