"""`timeseries_dataset_from_array`: windows against a NumPy reference of Keras's rule.

Keras 3.15 builds this dataset with tf.data (or grain), neither installed here, so the
windows are checked against a NumPy transcription of Keras's window rule, and the argument
errors against Keras itself (it validates before touching TensorFlow).
"""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.utils import timeseries_dataset_from_array
from tests.oracle import keras_or_skip


def reference(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    start_index=None,
    end_index=None,
):
    """Keras's rule: starts every `stride` steps, `sampling_rate` apart inside a window."""
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    windows, window_targets = [], []
    for p in range(0, count, sequence_stride):
        windows.append(data[start:end][p : p + sequence_length * sampling_rate : sampling_rate])
        if targets is not None:
            window_targets.append(targets[start:end][p])
    return np.array(windows), None if targets is None else np.array(window_targets)


CASES = [
    ("basic", {"sequence_length": 3}),
    ("stride", {"sequence_length": 4, "sequence_stride": 3}),
    ("sampling_rate", {"sequence_length": 3, "sampling_rate": 2}),
    ("start_end", {"sequence_length": 2, "start_index": 3, "end_index": 15}),
    (
        "all",
        {
            "sequence_length": 3,
            "sequence_stride": 2,
            "sampling_rate": 3,
            "start_index": 1,
            "end_index": 18,
        },
    ),
]


@pytest.mark.parametrize("with_targets", [True, False])
@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_windows_follow_keras_rule(name, kwargs, with_targets):
    data = np.arange(40, dtype="float64").reshape(20, 2)
    targets = np.arange(100, 120) if with_targets else None
    dataset = timeseries_dataset_from_array(data, targets, batch_size=4, **kwargs)
    batches = list(dataset)
    expected_x, expected_y = reference(data, targets, **kwargs)
    if with_targets:
        x = torch.cat([b[0] for b in batches])
        y = torch.cat([b[1] for b in batches])
        np.testing.assert_array_equal(y.numpy(), expected_y)
        assert y.dtype == torch.int64
    else:
        x = torch.cat(batches)
    assert x.dtype == torch.float64
    assert all(len(b[0] if with_targets else b) <= 4 for b in batches)
    np.testing.assert_array_equal(x.numpy(), expected_x)


def test_shuffle_uses_keras_start_order_and_is_reproducible():
    data = np.arange(30)
    first = timeseries_dataset_from_array(data, data, 4, shuffle=True, seed=5, batch_size=None)
    starts = [int(x[0]) for x, _ in first]
    assert sorted(starts) == list(range(27))
    again = timeseries_dataset_from_array(data, data, 4, shuffle=True, seed=5, batch_size=None)
    assert [int(x[0]) for x, _ in again] == starts
    expected = np.arange(27)
    np.random.RandomState(5).shuffle(expected)
    assert first.dataset.starts.tolist() == expected.tolist()  # Keras's shuffled start order
    assert all(int(y) == int(x[0]) for x, y in first)


def test_unbatched_windows_and_fit():
    data = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
    unbatched = timeseries_dataset_from_array(data, None, 5, batch_size=None)
    assert tuple(next(iter(unbatched)).shape) == (5, 3)
    dataset = timeseries_dataset_from_array(data, data[:, 0], 5, batch_size=8)
    model = kerastorch.Sequential(
        [kerastorch.Input((5, 3)), kerastorch.layers.Flatten(), kerastorch.layers.Dense(1)]
    )
    model.compile("sgd", "mse")
    assert len(model.fit(dataset, epochs=2, verbose=0).history["loss"]) == 2
    assert model.predict(dataset, verbose=0).shape == (36, 1)


BAD = [
    {"start_index": -1},
    {"start_index": 20},
    {"start_index": 5, "end_index": 5},
    {"end_index": 20},
    {"sampling_rate": 0},
    {"sampling_rate": 20},
    {"sequence_stride": 0},
    {"sequence_stride": 25},
    {"format": "xla"},
]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", BAD)
def test_argument_errors_match_keras(kwargs):
    keras = keras_or_skip()
    data = np.arange(20)
    with pytest.raises(ValueError) as theirs:
        keras.utils.timeseries_dataset_from_array(data, None, 3, **kwargs)
    with pytest.raises(ValueError) as ours:
        timeseries_dataset_from_array(data, None, 3, **kwargs)
    assert str(ours.value) == str(theirs.value)
