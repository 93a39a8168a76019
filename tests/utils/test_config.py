"""`utils.Config` behaves as `keras.utils.Config`."""

from __future__ import annotations

import pytest

from kerastorch.utils import Config
from tests.oracle import keras_or_skip


def _exercise(config_class) -> list:
    config = config_class(learning_rate=0.1, momentum=0.9)
    config.use_ema = True
    config["seed"] = 123
    seen = [config.seed, config["learning_rate"], list(config), len(config), "seed" in config]
    seen += [config.get("missing", 5), config.as_dict(), config.to_json(), repr(config)]
    seen += [config.pop("use_ema"), sorted(config.items()), sorted(config.keys())]
    config.update(extra=1)
    del config["extra"]
    config.freeze()
    for mutate in (
        lambda: setattr(config, "seed", 1),
        lambda: config.__setitem__("seed", 1),
        lambda: config.pop("seed"),
        lambda: config.update(a=1),
        lambda: config.__delitem__("seed"),
    ):
        with pytest.raises(ValueError, match="frozen") as info:
            mutate()
        seen.append(str(info.value))
    seen.append(config.frozen)
    config.unfreeze()
    config.seed = 7
    seen.append(config.seed)
    for name in ("learning_rat", "zzz"):
        with pytest.raises(AttributeError) as info:
            getattr(config, name)
        seen.append(str(info.value))
    return seen


def test_config_attribute_and_item_access():
    seen = _exercise(Config)
    assert seen[:5] == [123, 0.1, ["learning_rate", "momentum", "seed", "use_ema"], 4, True]
    assert seen[-2] == "Unknown attribute: 'learning_rat'. Did you mean 'learning_rate'?"


@pytest.mark.parity
def test_config_matches_keras():
    keras = keras_or_skip()
    assert _exercise(Config) == _exercise(keras.utils.Config)
