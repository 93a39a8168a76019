import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.rescaling import Rescaling
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [({"scale": 1 / 255.0}, (2, 8, 8, 3)), ({"scale": 2.0, "offset": -1.0}, (2, 5))],
)
def test_rescaling_matches_keras(kwargs, shape):
    keras_or_skip()
    check_layer(Rescaling, kwargs, shape, expected_output_shape=shape)


@pytest.mark.parity
def test_rescaling_matches_keras_on_uint8_images():
    keras_or_skip()
    data = np.arange(2 * 4 * 4 * 3, dtype="uint8").reshape(2, 4, 4, 3)
    result = check_layer(
        Rescaling,
        {"scale": 1 / 127.5, "offset": -1},
        (2, 4, 4, 3),
        input_dtype="uint8",
        input_data=data,
        expected_output_dtype="float32",
        run_backward=False,
    )
    assert result.output.dtype == torch.float32


def test_rescaling_accepts_per_channel_scale():
    out = Rescaling(scale=[1.0, 2.0, 3.0])(torch.ones(1, 2, 2, 3))
    assert out[0, 0, 0].tolist() == [1.0, 2.0, 3.0]
