"""`ops.rearrange` against the Keras oracle."""

import numpy as np
import pytest

import kerastorch
from kerastorch import ops
from tests.ops.oracle_compare import assert_same, assert_same_spec
from tests.oracle import keras_or_skip

CASES = [
    ("b h w -> b (h w)", (2, 3, 4), {}),
    ("b (h w) -> w b h", (2, 12), {"h": 3}),
    ("b h w c -> b c h w", (2, 3, 4, 1), {}),
    ("(b1 b2) h -> b1 h b2", (6, 2), {"b1": 2}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("pattern", "shape", "lengths"), CASES, ids=[c[0] for c in CASES])
def test_rearrange_matches_keras(pattern, shape, lengths):
    keras = keras_or_skip()
    x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
    assert_same(ops.rearrange(x, pattern, **lengths), keras.ops.rearrange(x, pattern, **lengths))
    ours = ops.rearrange(kerastorch.KerasTensor(shape), pattern, **lengths)
    assert_same_spec(ours, keras.ops.rearrange(keras.KerasTensor(shape), pattern, **lengths))


def test_rearrange_bad_pattern_names_the_op():
    with pytest.raises(ValueError, match="rearrange: the pattern's input side has 2 axes"):
        ops.rearrange(np.ones((2, 3, 4)), "a b -> b a")
