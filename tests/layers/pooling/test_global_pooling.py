"""Global max / average pooling 1D / 2D / 3D: Keras parity, keepdims, masks."""

import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.pooling.global_pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

SPATIAL = {1: (5,), 2: (4, 3), 3: (3, 2, 4)}
CLASSES = [
    (GlobalMaxPooling1D, 1),
    (GlobalMaxPooling2D, 2),
    (GlobalMaxPooling3D, 3),
    (GlobalAveragePooling1D, 1),
    (GlobalAveragePooling2D, 2),
    (GlobalAveragePooling3D, 3),
]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("cls", "rank", "data_format", "keepdims"),
    [
        (cls, rank, data_format, keepdims)
        for cls, rank in CLASSES
        for data_format, keepdims in (("channels_last", False), ("channels_first", True))
    ],
)
def test_global_pooling_matches_keras(cls, rank, data_format, keepdims):
    spatial = SPATIAL[rank]
    if data_format == "channels_last":
        shape = (2, *spatial, 3)
        expected = (2, *(1,) * rank, 3) if keepdims else (2, 3)
    else:
        shape = (2, 3, *spatial)
        expected = (2, 3, *(1,) * rank) if keepdims else (2, 3)
    check_layer(
        cls,
        {"data_format": data_format, "keepdims": keepdims},
        shape,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("data_format", "keepdims"), [("channels_last", False), ("channels_first", True)]
)
def test_global_average_pooling1d_mask_matches_keras(data_format, keepdims):
    mask = np.array([[True, True, False, True, False], [False, True, True, True, True]])
    shape = (2, 5, 3) if data_format == "channels_last" else (2, 3, 5)
    result = check_layer(
        GlobalAveragePooling1D,
        {"data_format": data_format, "keepdims": keepdims},
        shape,
        call_kwargs={"mask": mask},
    )
    x = result.inputs if data_format == "channels_last" else np.moveaxis(result.inputs, 1, 2)
    expected = np.stack([x[i][mask[i]].mean(axis=0) for i in range(2)])
    got = result.output.numpy().reshape(2, 3)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_global_average_pooling1d_uses_mask_from_previous_layer_and_drops_it():
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    x._keras_mask = torch.tensor([[True, True, False]])
    y = GlobalAveragePooling1D()(x)
    torch.testing.assert_close(y, torch.tensor([[2.0]]))
    assert getattr(y, "_keras_mask", None) is None


@pytest.mark.parity
def test_global_pooling_symbolic_unknown_sizes_match_keras():
    keras = keras_or_skip()
    for name, shape in [("GlobalMaxPooling2D", (None, None, 4)), ("GlobalAvgPool1D", (None, 4))]:
        ours = globals()[name](keepdims=True)(Input(shape))
        ref = getattr(keras.layers, name)(keepdims=True)(keras.Input(shape))
        assert ours.shape == tuple(ref.shape)


@pytest.mark.parity
def test_global_max_pooling2d_gradient_matches_keras_on_ties():
    keras = keras_or_skip()
    x = np.zeros((1, 2, 2, 1), "float32")  # all tied
    ours = torch.tensor(x, requires_grad=True)
    GlobalMaxPooling2D()(ours).sum().backward()
    ref = torch.tensor(x, requires_grad=True)
    keras.layers.GlobalMaxPooling2D()(ref).sum().backward()
    assert_close(ours.grad, ref.grad)


def test_global_pooling_aliases_are_the_classes():
    assert GlobalMaxPool1D is GlobalMaxPooling1D
    assert GlobalMaxPool2D is GlobalMaxPooling2D
    assert GlobalMaxPool3D is GlobalMaxPooling3D
    assert GlobalAvgPool1D is GlobalAveragePooling1D
    assert GlobalAvgPool2D is GlobalAveragePooling2D
    assert GlobalAvgPool3D is GlobalAveragePooling3D


def test_global_pooling_rejects_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=4"):
        GlobalAveragePooling2D()(torch.ones(2, 3, 4))
