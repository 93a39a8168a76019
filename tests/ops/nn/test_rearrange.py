"""Oracle tests for `kerastorch/ops/nn/rearrange.py`."""

import numpy as np
import pytest
import torch

from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def x(shape):
    return lambda r: (r.normal(size=shape).astype(F32),)


CASES = [
    ("depth_to_space", lambda r: (*x((2, 2, 3, 8))(r), 2), {}),
    ("depth_to_space", lambda r: (*x((1, 18, 2, 2))(r), 3), {"data_format": "channels_first"}),
    ("space_to_depth", lambda r: (*x((2, 4, 6, 3))(r), 2), {}),
    ("space_to_depth", lambda r: (*x((1, 2, 6, 3))(r), 3), {"data_format": "channels_first"}),
    ("unfold", lambda r: (*x((2, 3, 5, 4))(r), 2), {}),
    (
        "unfold",
        lambda r: (*x((1, 2, 6, 6))(r), (3, 2)),
        {"dilation": (1, 2), "padding": 1, "stride": (2, 1)},
    ),
    ("fold", lambda r: (*x((2, 12, 12))(r), (5, 4), 2), {}),
    ("fold", lambda r: (*x((1, 8, 9))(r), 4, 2), {"padding": 1, "stride": 2}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_rearrange_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    # Keras's fold/unfold take torch tensors only (no NumPy conversion): pass tensors to both.
    args = tuple(
        torch.from_numpy(a) if isinstance(a, np.ndarray) else a
        for a in make(np.random.default_rng(0))
    )
    check_eager(keras, name, args, kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), CASES, ids=IDS)
def test_rearrange_symbolic_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    check_symbolic(keras, name, make(np.random.default_rng(0)), kwargs)


def test_fold_inverts_unfold_without_overlap():
    data = torch.arange(32.0).reshape(1, 2, 4, 4)
    assert torch.equal(nn.fold(nn.unfold(data, 2, stride=2), 4, 2, stride=2), data)


def test_rearrange_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="depth_to_space: `block_size` must be at least 2"):
        nn.depth_to_space(torch.ones(1, 2, 2, 4), 1)
    with pytest.raises(ValueError, match="space_to_depth: the height"):
        nn.space_to_depth(torch.ones(1, 3, 2, 4), 2)
    with pytest.raises(ValueError, match=r"depth_to_space: .*`data_format`"):
        nn.depth_to_space(torch.ones(1, 2, 2, 4), 2, data_format="nhwc")
    with pytest.raises(ValueError, match="unfold: input must be a 4D tensor"):
        nn.unfold(torch.ones(2, 3, 4), 2)
