"""`kerastorch.config`: Keras's `keras.config` names, defaults, setters and their effects."""

import logging

import pytest

from kerastorch import config
from kerastorch.common.progbar import Progbar
from tests.oracle import keras_or_skip

FLAGS = [  # (getter, enable, disable, default)
    ("is_interactive_logging_enabled", "enable_interactive_logging",
     "disable_interactive_logging", True),
    ("is_traceback_filtering_enabled", "enable_traceback_filtering",
     "disable_traceback_filtering", True),
    ("is_flash_attention_enabled", "enable_flash_attention", "disable_flash_attention", None),
]  # fmt: skip


@pytest.fixture
def restore_config():
    saved = {name: getattr(config, name) for name in dir(config) if name[1:].isupper()}
    yield
    for name, value in saved.items():
        setattr(config, name, value)


@pytest.mark.parity
def test_config_defaults_match_keras():
    keras = keras_or_skip()
    names = ["backend", "floatx", "epsilon", "image_data_format", "is_nnx_enabled", "max_epochs",
             "max_steps_per_epoch", *(flag[0] for flag in FLAGS)]  # fmt: skip
    for name in names:
        assert getattr(config, name)() == getattr(keras.config, name)(), name


@pytest.mark.parametrize(("getter", "enable", "disable", "default"), FLAGS)
def test_config_flags_toggle(restore_config, getter, enable, disable, default):
    assert getattr(config, getter)() is default
    getattr(config, disable)()
    assert getattr(config, getter)() is False
    getattr(config, enable)()
    assert getattr(config, getter)() is True


def test_config_setters_and_backend(restore_config):
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert (config.max_epochs(), config.max_steps_per_epoch()) == (2, 3)
    config.set_max_epochs(None)
    assert config.max_epochs() is None
    config.set_backend("torch")
    assert config.backend() == "torch"
    with pytest.raises(ValueError, match=r"set_backend.*'torch'.*backend='jax'"):
        config.set_backend("jax")
    config.set_floatx("float16")
    assert config.floatx() == "float16"
    with pytest.raises(ValueError, match="floatx"):
        config.set_floatx("int8")


def test_config_disabled_interactive_logging_sends_plain_lines_to_logging(
    restore_config, capsys, caplog
):
    config.disable_interactive_logging()
    bar = Progbar(target=2, verbose=1, interval=0.0)
    with caplog.at_level(logging.INFO, logger="kerastorch"):
        bar.update(1, [("loss", 0.5)])
        bar.update(2, [("loss", 0.25)])
    assert capsys.readouterr().out == ""
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[-1].startswith("2/2 ━━━━━━━━━━━━━━━━━━━━ 0s")
    assert all("\x1b" not in line and "\r" not in line and "\b" not in line for line in lines)


def test_default_device_follows_each_change_of_its_sources(monkeypatch, restore_config):
    import torch

    from kerastorch.common.scopes import device

    monkeypatch.delenv("KERASTORCH_DEVICE", raising=False)
    default = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    assert config.default_device() == default
    assert config.default_device() is config.default_device()  # made once
    monkeypatch.setenv("KERASTORCH_DEVICE", "meta")  # read again at the next call
    assert config.default_device() == torch.device("meta")
    monkeypatch.setenv("KERASTORCH_DEVICE", "cpu:0")
    assert config.default_device() == torch.device("cpu:0")
    monkeypatch.setenv("KERASTORCH_DEVICE", "")  # empty: unset
    assert config.default_device() == default
    config.set_device("meta")  # before the environment
    assert config.default_device() == torch.device("meta")
    with device("cpu"):  # a scope first of all
        assert config.default_device() == torch.device("cpu")
    config.set_device(None)
    monkeypatch.delenv("KERASTORCH_DEVICE")
    assert config.default_device() == default
    monkeypatch.setenv("KERASTORCH_DEVICE", "nodevice")
    with pytest.raises(RuntimeError, match="nodevice"):
        config.default_device()
