"""Every pooling layer checks its input's rank, naming itself."""

import numpy as np
import pytest

import kerastorch

L = kerastorch.layers
POOLINGS = [
    (L.MaxPooling1D, 1), (L.MaxPooling2D, 2), (L.MaxPooling3D, 3),
    (L.AveragePooling1D, 1), (L.AveragePooling2D, 2), (L.AveragePooling3D, 3),
    (L.GlobalMaxPooling1D, 1), (L.GlobalMaxPooling2D, 2), (L.GlobalMaxPooling3D, 3),
    (L.GlobalAveragePooling1D, 1), (L.GlobalAveragePooling2D, 2),
    (L.GlobalAveragePooling3D, 3),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "rank"), POOLINGS)
@pytest.mark.parametrize("symbolic", [True, False])
def test_base_pooling_wrong_rank_is_an_input_spec_error_naming_the_layer(cls, rank, symbolic):
    shape = (8,) * rank  # one axis short: (batch, *spatial) without channels
    x = kerastorch.Input(shape) if symbolic else np.zeros((1, *shape), "float32")
    kwargs = {} if cls.__name__.startswith("Global") else {"pool_size": 2}
    with pytest.raises(
        ValueError, match=rf"Layer 'p' \({cls.__name__}\).*expected ndim={rank + 2}, found ndim="
    ):
        cls(name="p", **kwargs)(x)
