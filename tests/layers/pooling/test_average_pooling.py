"""AveragePooling1D / 2D / 3D: Keras parity, and TF's "same" rule where Keras 3.15 is wrong.

With `padding="same"` TensorFlow averages each window over its real (non-padded) elements.
Keras 3.15's torch backend does so only where the padding is symmetric: where it is not, it
pads by replicating the edge and divides by the full window. For those (asymmetric) cases
these tests compare with a NumPy reference of TF's semantics instead of the oracle.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.pooling.average_pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
)
from tests.layer_checks import check_layer
from tests.layers.conv.cases import alternate_formats, input_shape
from tests.layers.conv.torch_calls import COPYING_FUNCTIONS, TorchCallRecorder
from tests.layers.pooling.tf_reference import tf_pool
from tests.oracle import keras_or_skip


def _assert_tf_semantics(result, data_format):
    pool = result.layer
    expected = tf_pool(
        result.inputs, pool.pool_size, pool.strides, pool.padding, "average", data_format
    )
    np.testing.assert_allclose(result.output.numpy(), expected, rtol=1e-6, atol=1e-6)


# Symmetric "same" padding (or none): Keras is right, compare with it.
SYMMETRIC_CASES = [
    (AveragePooling1D, {"pool_size": 2}, (7,)),
    (AveragePooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (7,)),
    (AveragePooling1D, {"pool_size": 3, "strides": 1, "padding": "same"}, (6,)),
    (AveragePooling2D, {"pool_size": (3, 2), "strides": (1, 2)}, (6, 5)),
    (AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (7, 5)),
    (AveragePooling3D, {"pool_size": 2}, (4, 5, 3)),
    (AveragePooling3D, {"pool_size": 3, "strides": 2, "padding": "same"}, (5, 3, 5)),
]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("cls", "kwargs", "spatial", "data_format"), alternate_formats(SYMMETRIC_CASES)
)
def test_average_pooling_matches_keras(cls, kwargs, spatial, data_format):
    result = check_layer(
        cls, {**kwargs, "data_format": data_format}, input_shape(data_format, 2, spatial, 3)
    )
    _assert_tf_semantics(result, data_format)


# Asymmetric "same" padding: Keras 3.15 (torch backend) is wrong; TF's rule is the reference.
ASYMMETRIC_CASES = [
    (AveragePooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (6,)),
    # (Keras is right here by luck: the replicated edge is the only real element.)
    (AveragePooling1D, {"pool_size": 2, "strides": 1, "padding": "same"}, (5,)),
    (AveragePooling1D, {"pool_size": 4, "strides": 3, "padding": "same"}, (7,)),
    (AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (7, 6)),
    (AveragePooling2D, {"pool_size": (2, 3), "strides": (1, 2), "padding": "same"}, (5, 6)),
    (AveragePooling3D, {"pool_size": (3, 2, 3), "strides": 2, "padding": "same"}, (4, 3, 5)),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "spatial", "data_format"), alternate_formats(ASYMMETRIC_CASES)
)
def test_average_pooling_asymmetric_same_follows_tensorflow(cls, kwargs, spatial, data_format):
    result = check_layer(
        cls,
        {**kwargs, "data_format": data_format},
        input_shape(data_format, 2, spatial, 3),
        compare_with_keras=False,  # Keras 3.15's torch backend counts replicated padding
    )
    _assert_tf_semantics(result, data_format)


@pytest.mark.parity
@pytest.mark.parametrize(("cls", "kwargs", "spatial"), ASYMMETRIC_CASES)
def test_average_pooling_asymmetric_same_shapes_and_config_match_keras(cls, kwargs, spatial):
    keras = keras_or_skip()
    ref = getattr(keras.layers, cls.__name__)(**kwargs)
    ours = cls(**kwargs)
    x = np.random.default_rng(0).standard_normal((2, *spatial, 3)).astype("float32")
    assert tuple(ours(torch.as_tensor(x)).shape) == tuple(ref(x).shape)
    mine = {k: v for k, v in ours.get_config().items() if k != "name"}
    assert mine == {k: v for k, v in ref.get_config().items() if k != "name"}


def test_average_pooling1d_same_divides_by_real_elements():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).reshape(1, 6, 1)
    # pool 3, stride 2 on 6 steps: padding (0, 1); the last window holds 5 and 6 only.
    y = AveragePooling1D(3, 2, padding="same")(x)[0, :, 0]
    torch.testing.assert_close(y, torch.tensor([2.0, 4.0, 5.5]))


def test_average_pooling_aliases_are_the_classes():
    assert AvgPool1D is AveragePooling1D
    assert AvgPool2D is AveragePooling2D
    assert AvgPool3D is AveragePooling3D


def test_average_pooling2d_requires_pool_size_like_keras():
    with pytest.raises(TypeError, match="pool_size"):
        AveragePooling2D()


def test_average_pooling2d_channels_last_asymmetric_same_makes_no_copy():
    layer = AveragePooling2D(3, strides=2, padding="same")
    x = torch.randn(2, 6, 6, 3)
    with TorchCallRecorder() as recorder:
        y = layer(x)
    ((inputs, *_),) = recorder.args_of(F.avg_pool2d)
    assert inputs.data_ptr() == x.data_ptr()
    assert not recorder.names() & COPYING_FUNCTIONS
    expected = tf_pool(x.numpy(), layer.pool_size, layer.strides, "same", "average")
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_average_pooling2d_gradient_flows_to_input():
    x = torch.randn(1, 5, 6, 2, requires_grad=True)
    AveragePooling2D(2, strides=1, padding="same")(x).sum().backward()
    assert x.grad is not None
    assert torch.isfinite(x.grad).all()
    # Each input element's gradient is the sum of 1/count over the windows that hold it.
    assert x.grad.sum().item() == pytest.approx(5 * 6 * 2, rel=1e-5)
