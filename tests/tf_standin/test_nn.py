"""`tf.nn`: activations and the cross-entropies with logits, checked against torch/NumPy."""

import numpy as np
import pytest
import torch

from kerastorch import tf_standin as tf


def test_cross_entropies_with_logits():
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]])
    labels = torch.tensor([0, 2])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=tf.one_hot(labels, 3), logits=logits)
    expected = torch.nn.functional.cross_entropy(logits, labels, reduction="none")
    torch.testing.assert_close(sparse, expected)
    torch.testing.assert_close(dense, expected)
    z = np.array([-3.0, 0.0, 4.0], "float32")
    y = np.array([0.0, 1.0, 1.0], "float32")
    reference = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    ours = tf.nn.sigmoid_cross_entropy_with_logits(y, z).numpy()
    np.testing.assert_allclose(ours, reference, rtol=1e-6)


def test_activations_and_normalization():
    x = torch.tensor([-2.0, 0.0, 3.0])
    assert tf.nn.relu(x).tolist() == [0.0, 0.0, 3.0]
    assert tf.nn.leaky_relu(x).tolist() == pytest.approx([-0.4, 0.0, 3.0])
    torch.testing.assert_close(tf.nn.softmax(x).sum(), torch.tensor(1.0))
    torch.testing.assert_close(tf.nn.gelu(x), torch.nn.functional.gelu(x))
    np.testing.assert_allclose(tf.nn.l2_normalize(torch.tensor([3.0, 4.0])), [0.6, 0.8])
    mean, variance = tf.nn.moments(torch.tensor([[1.0, 3.0], [5.0, 7.0]]), axes=[0])
    assert mean.tolist() == [3.0, 5.0]
    assert variance.tolist() == [4.0, 4.0]


def test_dropout_scales_kept_units_and_is_seeded():
    x = torch.ones(1000)
    y = tf.nn.dropout(x, rate=0.5, seed=1)
    assert set(y.unique().tolist()) <= {0.0, 2.0}
    assert 0.4 < float((y == 0).float().mean()) < 0.6
    torch.testing.assert_close(y, tf.nn.dropout(x, rate=0.5, seed=1))


def test_random_is_reproducible():
    tf.random.set_seed(3)
    a = tf.random.normal((3,))
    tf.random.set_seed(3)
    torch.testing.assert_close(a, tf.random.normal((3,)))
    u = tf.random.uniform((1000,), minval=2.0, maxval=3.0, seed=1)
    assert float(u.min()) >= 2.0
    assert float(u.max()) < 3.0
    assert tf.random.uniform((5,), maxval=4, dtype=tf.int32).max() < 4
    with pytest.raises(ValueError, match="maxval"):
        tf.random.uniform((2,), dtype=tf.int32)


def test_config_answers_from_torch():
    gpus = tf.config.list_physical_devices("GPU")
    assert len(gpus) == torch.cuda.device_count()
    assert tf.config.list_physical_devices("CPU")[0].device_type == "CPU"
    for gpu in gpus:
        tf.config.experimental.set_memory_growth(gpu, True)
