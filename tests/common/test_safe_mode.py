import threading

import pytest

import kerastorch as kt
from kerastorch.common import serialization
from kerastorch.common.safe_mode import SafeModeScope, dump_lambda, load_lambda


def _lambda_config():
    with pytest.warns(UserWarning, match="lambda"):
        return serialization.serialize_keras_object(lambda x: x * 3)


def test_lambda_round_trips_through_the_one_codec():
    fn = load_lambda(*dump_lambda(lambda x, k=2: x * k))
    assert fn(5) == 10
    assert load_lambda(dump_lambda(lambda: 7))() == 7  # the nested (Keras "value") form


def test_safe_mode_refuses_lambdas_by_default():
    with pytest.raises(ValueError, match="arbitrary code execution"):
        serialization.deserialize_keras_object(_lambda_config())


def test_explicit_safe_mode_wins_over_the_enclosing_scope():
    config = _lambda_config()
    with SafeModeScope(False), pytest.raises(ValueError, match="arbitrary code execution"):
        serialization.deserialize_keras_object(config, safe_mode=True)
    with SafeModeScope(True):
        assert serialization.deserialize_keras_object(config, safe_mode=False)(2) == 6


def test_nested_calls_follow_the_enclosing_scope():
    config = _lambda_config()
    with SafeModeScope(False):
        assert serialization.deserialize_keras_object(config)(1) == 3
    with SafeModeScope(True), pytest.raises(ValueError, match="arbitrary code execution"):
        serialization.deserialize_keras_object(config)


def test_enable_unsafe_deserialization_is_keras_config_and_per_thread():
    config, results = _lambda_config(), []

    def load():
        kt.config.enable_unsafe_deserialization()
        results.append(serialization.deserialize_keras_object(config)(2))

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    assert results == [6]
    with pytest.raises(ValueError, match="arbitrary code execution"):  # this thread: still safe
        serialization.deserialize_keras_object(config)
