"""The epoch iterator: one pass per epoch, or `steps_per_epoch` batches continuing a pass."""

import warnings

import numpy as np
import pytest

from kerastorch.trainers.data_adapters import get_data_adapter
from kerastorch.trainers.epoch_iterator import EpochIterator
from tests.trainers.fit_checks import Y_REG, X, assert_same_history, regressor, twins


def _steps(iterator):
    return [step for step, _ in iterator.epoch()]


def test_without_steps_per_epoch_each_epoch_is_one_pass():
    iterator = EpochIterator(get_data_adapter(np.zeros((10, 2)), None, None, 4, False), None)
    assert _steps(iterator) == [0, 1, 2]
    assert _steps(iterator) == [0, 1, 2]


def test_steps_per_epoch_continues_the_pass_and_warns_when_it_runs_out():
    iterator = EpochIterator(get_data_adapter(np.zeros((10, 2)), None, None, 4, False), 2)
    assert _steps(iterator) == [0, 1]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _steps(iterator) == [0]
    assert _steps(iterator) == [0, 1]  # a new pass


@pytest.mark.parity
def test_fit_steps_per_epoch_continues_the_pass_and_warns_when_it_runs_out_like_keras():
    reference, ours = twins(regressor)
    for model in (reference, ours):
        model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings(record=True) as keras_warnings:
        warnings.simplefilter("always")
        expected = reference.fit(X, Y_REG, batch_size=4, steps_per_epoch=3, epochs=3, verbose=0,
                                 shuffle=False)  # fmt: skip
    assert any("ran out of data" in str(w.message) for w in keras_warnings)
    with pytest.warns(UserWarning, match="ran out of data"):
        actual = ours.fit(X, Y_REG, batch_size=4, steps_per_epoch=3, epochs=3, verbose=0,
                          shuffle=False)  # fmt: skip
    assert_same_history(expected, actual)
