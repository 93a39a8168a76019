import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.discretization import Discretization
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("mode", "out_shape", "dtype"),
    [("int", (4, 3), "int32"), ("one_hot", (4, 3, 4), "float32"), ("count", (4, 4), "float32")],
)
def test_discretization_matches_keras(mode, out_shape, dtype):
    keras_or_skip()
    data = np.array([[-1.5, 0.0, 3.4], [0.5, 1.0, -0.2], [2.0, 0.7, 0.0], [9.0, -9.0, 1.0]])
    check_layer(
        Discretization,
        {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": mode},
        (4, 3),
        input_data=data.astype("float32"),
        expected_output_shape=out_shape,
        expected_output_dtype=dtype,
        run_backward=False,
    )


@pytest.mark.parity
@pytest.mark.parametrize("num_bins", [2, 4, 7])
def test_discretization_adapt_matches_keras_quantile_sketch(num_bins):
    """Keras's `adapt` needs TensorFlow; its (NumPy) sketch functions are the oracle."""
    keras_or_skip()
    from keras.src.layers.preprocessing import discretization as ref

    batches = [np.random.default_rng(i).normal(size=(50, 2)).astype("float32") for i in range(3)]
    summary = np.array([[], []], dtype="float32")
    for batch in batches:
        summary = ref.merge_summaries(ref.summarize(batch, 0.01), summary, 0.01)
    expected = ref.get_bin_boundaries(summary, num_bins).tolist()
    layer = Discretization(num_bins=num_bins, epsilon=0.01)
    layer.adapt(iter([torch.from_numpy(b) for b in batches]))
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6)
    clone = Discretization.from_config(layer.get_config())
    assert clone.bin_boundaries == layer.bin_boundaries


def test_discretization_requires_boundaries_or_bins():
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        Discretization()
    with pytest.raises(ValueError, match="Cannot adapt"):
        Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))
