import numpy as np
import pytest
import torch

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.regularization.activity_regularization import ActivityRegularization
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"l1": 0.1}, {"l1": 0.01, "l2": 0.2}])
def test_activity_regularization_matches_keras(kwargs):
    keras_or_skip()
    check_layer(
        ActivityRegularization,
        kwargs,
        (3, 4),
        expected_output_shape=(3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [({"l1": 0.1}, (4, 3)), ({"l2": 0.3}, (2, 5)), ({"l1": 0.01, "l2": 0.02}, (3, 4, 5))],
)
def test_activity_regularization_losses_match_keras(kwargs, shape):
    keras = keras_or_skip()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    ours = ActivityRegularization(**kwargs)
    theirs = keras.layers.ActivityRegularization(**kwargs)
    out = ours(torch.from_numpy(x))
    theirs(x)
    assert torch.equal(out, torch.from_numpy(x))
    assert len(ours.losses) == len(theirs.losses) == 1
    np.testing.assert_allclose(to_numpy(ours.losses[0]), to_numpy(theirs.losses[0]), rtol=1e-6)


def test_activity_regularization_divides_by_the_batch_size():
    layer = ActivityRegularization(l1=0.5, l2=0.25)
    x = torch.tensor([[1.0, -2.0], [3.0, 0.0]])
    layer(x)
    expected = (0.5 * 6.0 + 0.25 * 14.0) / 2  # Keras 3 normalizes by the batch size
    assert [round(float(loss), 6) for loss in layer.losses] == [expected]


def test_activity_regularization_losses_are_replaced_at_each_call():
    layer = ActivityRegularization(l2=1.0)
    layer(torch.ones(2, 2))
    layer(torch.full((2, 2), 2.0))
    assert [float(loss) for loss in layer.losses] == [8.0]


def test_activity_regularization_penalty_reaches_the_models_losses_and_gradients():
    inputs = Input((3,))
    dense = Dense(2, kernel_initializer="ones", use_bias=False)
    model = Model(inputs, ActivityRegularization(l2=0.1)(dense(inputs)))
    model(torch.ones(4, 3))
    (loss,) = model.losses
    assert abs(loss.detach().item() - 0.1 * 4 * 2 * 9 / 4) < 1e-6
    loss.backward()
    assert dense.kernel.tensor.grad is not None


def test_activity_regularization_config_has_no_activity_regularizer():
    config = ActivityRegularization(l1=0.2).get_config()
    assert "activity_regularizer" not in config
    assert (config["l1"], config["l2"]) == (0.2, 0.0)
    clone = ActivityRegularization.from_config(config)
    assert (clone.l1, clone.l2) == (0.2, 0.0)


def test_activity_regularization_passes_masks_through():
    x = torch.ones(2, 3, 4)
    x._keras_mask = torch.tensor([[True, True, False], [True, False, False]])
    out = ActivityRegularization(l1=0.1)(x)
    assert torch.equal(out._keras_mask, x._keras_mask)
