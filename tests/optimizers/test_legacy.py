import pytest

from kerastorch.optimizers import legacy
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_legacy_namespace_has_keras_names_and_refuses_them():
    keras = keras_or_skip()
    assert sorted(legacy.__all__) == sorted(
        n for n in dir(keras.optimizers.legacy) if not n.startswith("_")
    )
    for name in legacy.__all__:
        with pytest.raises(ImportError, match=r"`keras.optimizers.legacy` is not supported"):
            getattr(legacy, name)(learning_rate=0.1)
        with pytest.raises(ImportError, match=r"`keras.optimizers.legacy` is not supported"):
            getattr(keras.optimizers.legacy, name)(learning_rate=0.1)
