import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.normalization import Normalization
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip, to_numpy

DATA = np.random.default_rng(0).normal(2.0, 3.0, size=(6, 4, 3)).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        {"mean": 2.0, "variance": 3.0, "invert": True},
        {"axis": (1, -1)},
        {"axis": None},
    ],
)
def test_normalization_matches_keras_harness(kwargs):
    keras_or_skip()
    check_layer(Normalization, kwargs, (2, 4, 3), expected_output_shape=(2, 4, 3))


@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, None, (1, 2), 1])
@pytest.mark.parametrize("source", ["numpy", "tensor", "batches"])
def test_normalization_adapt_matches_keras(axis, source):
    keras = keras_or_skip()
    ref, ours = keras.layers.Normalization(axis=axis), Normalization(axis=axis)
    if source == "numpy":
        ref.adapt(DATA)
        ours.adapt(DATA)
    elif source == "tensor":
        ref.adapt(keras.ops.convert_to_tensor(DATA))
        ours.adapt(torch.from_numpy(DATA))
    else:  # Keras's batch path needs TensorFlow: compare with Keras on the whole array
        ref.adapt(DATA)
        ours.adapt(iter([(torch.from_numpy(DATA[:2]), None), DATA[2:5], DATA[5:]]))
    assert [w.name for w in ours.weights] == [w.name for w in ref.weights]
    assert ours.count_params() == ref.count_params()
    assert_close(ours.get_weights(), ref.get_weights(), atol=1e-5)
    x = DATA[:3] + 1.0
    assert_close(ours(x), to_numpy(ref(x)), atol=1e-5)


@pytest.mark.parity
def test_normalization_invert_round_trips_after_adapt():
    keras = keras_or_skip()
    ref = keras.layers.Normalization(invert=True)
    ours = Normalization(invert=True)
    ref.adapt(DATA)
    ours.adapt(DATA)
    assert_close(ours(DATA[:2]), to_numpy(ref(DATA[:2])), atol=1e-5)
    assert ours.get_config() == {**ref.get_config(), "name": ours.name}


def test_normalization_weights_follow_set_weights():
    layer = Normalization()
    layer.build((None, 2))
    layer.set_weights([np.array([1.0, 2.0]), np.array([4.0, 9.0]), np.array(0)])
    assert layer(torch.tensor([[3.0, 5.0]])).tolist() == [[1.0, 1.0]]
    assert layer.weights[2].numpy().dtype == np.int32


def test_normalization_requires_mean_and_variance_together():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)


def test_normalization_adapt_rejects_an_empty_iterable():
    with pytest.raises(ValueError, match="empty iterable"):
        Normalization().adapt([])
