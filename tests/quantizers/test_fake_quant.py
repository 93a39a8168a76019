import numpy as np
import pytest
import torch

from kerastorch import quantizers
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_vals": -1.0, "max_vals": 1.5},
        {"min_vals": [-1.0, -0.5, -2.0], "max_vals": [1.0, 0.7, 2.5], "axis": -1,
         "narrow_range": True, "num_bits": 4},
    ],
)  # fmt: skip
def test_fake_quant_values_and_gradients_match_keras(kwargs):
    keras = keras_or_skip()
    x = (RNG.normal(size=(4, 3)) * 2).astype("float32")
    weighting = torch.arange(12.0).reshape(4, 3)
    grads = []
    for fn in (
        quantizers.fake_quant_with_min_max_vars,
        keras.quantizers.fake_quant_with_min_max_vars,
    ):
        args = [
            torch.tensor(v, requires_grad=True) for v in (x, kwargs["min_vals"], kwargs["max_vals"])
        ]
        options = {k: v for k, v in kwargs.items() if k not in ("min_vals", "max_vals")}
        out = fn(*args, **options)
        (out * weighting).sum().backward()
        grads.append([out.detach(), *(a.grad for a in args)])
    for ours, theirs in zip(*grads, strict=True):
        assert_close(ours, theirs, atol=0, rtol=0)
