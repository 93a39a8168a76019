"""The constructor arguments every optimizer shares (optimizers/arguments.py)."""

import pytest

import kerastorch.optimizers as kto


def test_optimizer_lr_is_a_deprecated_alias_of_learning_rate():
    with pytest.warns(DeprecationWarning, match="`lr` argument is deprecated") as record:
        opt = kto.SGD(lr=0.5)
    assert record[0].filename == __file__  # points at the caller, not at kerastorch
    assert float(opt.learning_rate) == 0.5


def test_optimizer_lr_alias_reaches_the_base_through_subclasses():
    with pytest.warns(DeprecationWarning, match="AdamW: the `lr` argument"):
        opt = kto.AdamW(lr=0.25)
    assert opt.get_config()["learning_rate"] == 0.25


def test_optimizer_unknown_keyword_names_it_and_suggests_the_close_match():
    with pytest.raises(TypeError, match=r"Adam\(\) got an unexpected keyword argument 'beta1'"):
        kto.Adam(beta1=0.8)
    with pytest.raises(TypeError, match="Did you mean 'learning_rate'"):
        kto.RMSprop(learning_rte=0.1)


def test_optimizer_decay_is_ignored_with_a_warning_as_keras():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        opt = kto.SGD(decay=0.01)
    assert "decay" not in opt.get_config()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clipnorm": 1.0, "clipvalue": 1.0}, "Only one of `clipnorm`, `clipvalue`"),
        ({"gradient_accumulation_steps": 1}, "must be an integer >= 2"),
        ({"use_ema": True, "ema_momentum": 1.5}, r"`ema_momentum` must be in the range \[0, 1\]"),
        ({"learning_rate": "fast"}, "Argument `learning_rate` should be float"),
    ],
)
def test_optimizer_rejects_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        kto.Adam(**kwargs)


def test_optimizer_auto_names_are_snake_case_and_unique():
    assert [kto.Adam().name, kto.Adam().name, kto.RMSprop().name] == ["adam", "adam_1", "rm_sprop"]
