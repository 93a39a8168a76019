"""Oracle tests for `kerastorch/ops/nn/attention.py`."""

import numpy as np
import pytest
import torch

from kerastorch import config
from kerastorch.ops import nn
from tests.ops.nn.oracle_cases import check_eager, check_symbolic
from tests.oracle import keras_or_skip

F32 = "float32"


def qkv(r, t=3, s=4, heads=2, kv_heads=2, dim=5, dtype=F32):
    q = r.normal(size=(2, t, heads, dim)).astype(dtype)
    k = r.normal(size=(2, s, kv_heads, dim)).astype(dtype)
    v = r.normal(size=(2, s, kv_heads, dim)).astype(dtype)
    return q, k, v


CASES = [
    ("basic", qkv, {}),
    ("self_causal", lambda r: qkv(r, t=4), {"is_causal": True}),
    ("scale", qkv, {"scale": 0.3}),
    (
        "bias",
        lambda r: qkv(r),
        {"bias": np.random.default_rng(1).normal(size=(2, 2, 3, 4)).astype(F32)},
    ),
    ("mask", qkv, {"mask": np.random.default_rng(2).uniform(size=(2, 1, 3, 4)) > 0.3}),
    (
        "mask_row_all_false",
        qkv,
        {"mask": np.array([[True, True, False, False]] * 2 + [[False] * 4]).reshape(1, 1, 3, 4)},
    ),
    (
        "mask_and_causal",
        lambda r: qkv(r, t=4),
        {"mask": np.random.default_rng(3).uniform(size=(4, 4)) > 0.2, "is_causal": True},
    ),
    ("gqa", lambda r: qkv(r, heads=4, kv_heads=2), {}),
    ("mqa", lambda r: qkv(r, heads=3, kv_heads=1), {"is_causal": True}),
    (
        "gqa_mask",
        lambda r: qkv(r, heads=4, kv_heads=2),
        {"mask": np.random.default_rng(3).uniform(size=(2, 1, 3, 4)) > 0.3},
    ),
    ("gqa_no_flash", lambda r: qkv(r, heads=4, kv_heads=1), {"flash_attention": False}),
    ("float64", lambda r: qkv(r, dtype="float64"), {}),
    ("mixed_dtypes", lambda r: (*qkv(r)[:2], qkv(r)[2].astype("float16")), {}),
    ("no_flash", qkv, {"flash_attention": False}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("case", "make", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_dot_product_attention_matches_keras(case, make, kwargs):
    keras = keras_or_skip()
    check_eager(keras, "dot_product_attention", make(np.random.default_rng(0)), kwargs, atol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize(("case", "make", "kwargs"), CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_dot_product_attention_symbolic_matches_keras(case, make, kwargs):
    keras = keras_or_skip()
    unknown = () if "bias" in kwargs else (0, 1, 2)  # a bias of batch 2 fixes the batch
    check_symbolic(
        keras, "dot_product_attention", make(np.random.default_rng(0)), kwargs, unknown=unknown
    )


def test_flash_attention_true_without_flash_kernel_raises():
    q = torch.zeros(1, 2, 1, 4)
    if q.device.type == "cpu":
        with pytest.raises(RuntimeError, match="dot_product_attention: flash attention"):
            nn.dot_product_attention(q, q, q, flash_attention=True)


def test_flash_attention_default_follows_config(monkeypatch):
    q = torch.zeros(1, 2, 1, 4)
    monkeypatch.setattr(config, "is_flash_attention_enabled", lambda: True)
    with pytest.raises(RuntimeError, match="flash attention is not supported"):
        nn.dot_product_attention(q, q, q)
    monkeypatch.setattr(config, "is_flash_attention_enabled", lambda: False)
    assert nn.dot_product_attention(q, q, q).shape == (1, 2, 1, 4)


def test_dot_product_attention_bad_arguments_name_the_op():
    q = torch.zeros(1, 2, 1, 4)
    with pytest.raises(ValueError, match="dot_product_attention: only 4D inputs"):
        nn.dot_product_attention(q[0], q[0], q[0])
    with pytest.raises(ValueError, match="dot_product_attention: pass only one of `bias`"):
        nn.dot_product_attention(q, q, q, bias=torch.zeros(1), mask=torch.ones(1, dtype=bool))
    with pytest.raises(ValueError, match="attn_logits_soft_cap"):
        nn.dot_product_attention(q, q, q, attn_logits_soft_cap=30.0)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, True),
        ({"is_causal": True}, True),
        ({"flash_attention": False}, False),
        ({"mask": np.ones((2, 1, 3, 4), dtype=bool)}, False),
    ],
)
def test_grouped_heads_use_sdpa_gqa_only_where_flash_can_run(monkeypatch, kwargs, expected):
    import torch.nn.functional as torch_f

    seen = []
    sdpa = torch_f.scaled_dot_product_attention

    def recording(q, k, v, **options):
        seen.append((options["enable_gqa"], k.shape[1]))
        return sdpa(q, k, v, **options)

    monkeypatch.setattr(torch_f, "scaled_dot_product_attention", recording)
    q, k, v = (torch.as_tensor(a) for a in qkv(np.random.default_rng(0), heads=4, kv_heads=2))
    q.requires_grad_(True)
    out = nn.dot_product_attention(q, k, v, **kwargs)
    out.sum().backward()
    assert seen == [(expected, 2 if expected else 4)]
    assert q.grad.shape == q.shape
