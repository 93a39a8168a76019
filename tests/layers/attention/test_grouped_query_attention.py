"""GroupQueryAttention: Keras parity of weights, outputs, scores, masks; fused kernel use."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.attention import GroupQueryAttention
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.models import Model
from tests.layers.keras_files import assert_keras_files_round_trip
from tests.oracle import assert_close, keras_or_skip

GQA = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}
_AM = np.random.default_rng(7).random((2, 4, 5)) > 0.4
_AM[0, 1] = False  # a fully masked query row
_QM = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
_VM = np.array([[1, 1, 1, 1, 0], [1, 0, 1, 1, 1]], bool)

CASES = [
    (GQA, (2, 4, 6), (2, 5, 6), None, {}),
    ({**GQA, "num_key_value_heads": 1}, (2, 4, 6), (2, 5, 6), (2, 5, 7), {}),
    ({**GQA, "num_key_value_heads": 4, "use_bias": False}, (2, 4, 6), (2, 4, 6), None,
     {"use_causal_mask": True}),
    (GQA, (2, 4, 6), (2, 5, 6), None, {"return_attention_scores": True}),
    (GQA, (2, 4, 6), (2, 6, 6), None, {"use_causal_mask": True, "return_attention_scores": True}),
    (GQA, (2, 4, 6), (2, 5, 6), None, {"attention_mask": _AM}),
    (GQA, (2, 4, 6), (2, 5, 6), None, {"attention_mask": _AM, "return_attention_scores": True}),
    ({**GQA, "dropout": 0.3}, (2, 4, 6), (2, 5, 6), None, {"attention_mask": _AM}),
    (GQA, (2, 4, 6), (2, 5, 6), None, {"query_mask": _QM, "value_mask": _VM}),
    ({**GQA, "sliding_window": 2, "use_gate": True}, (2, 5, 6), (2, 5, 6), None,
     {"use_causal_mask": True}),
    ({**GQA, "sliding_window": 2}, (2, 5, 6), (2, 5, 6), None, {"return_attention_scores": True}),
    ({**GQA, "kernel_initializer": "he_normal", "bias_initializer": "ones",
      "kernel_regularizer": "l2", "bias_constraint": "non_neg"}, (2, 3, 4), (2, 3, 4), None, {}),
]  # fmt: skip


def _to_torch(kwargs):
    return {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "q_shape", "v_shape", "k_shape", "call_kwargs"), CASES)
def test_grouped_query_attention_matches_keras(kwargs, q_shape, v_shape, k_shape, call_kwargs):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=s).astype("float32") for s in (q_shape, v_shape, k_shape) if s]
    ref, ours = keras.layers.GroupQueryAttention(**kwargs), GroupQueryAttention(**kwargs)
    ref.build(*(a.shape for a in arrays))
    ours.build(*(a.shape for a in arrays))
    assert [w.path for w in ours.weights] == [w.path.split("/", 1)[1] for w in ref.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in ref.get_weights()]
    assert ours.count_params() == ref.count_params()
    ours.set_weights(ref.get_weights())
    expected = ref(*arrays, **call_kwargs)
    got = ours(*(torch.from_numpy(a) for a in arrays), **_to_torch(call_kwargs))
    assert_close(got, expected)
    config = {key: val for key, val in ours.get_config().items() if key != "name"}
    assert config == {key: val for key, val in ref.get_config().items() if key != "name"}
    assert sum(float(loss.detach()) for loss in ours.losses) == pytest.approx(
        sum(float(keras.ops.convert_to_numpy(loss)) for loss in ref.losses), rel=1e-5
    )


@pytest.mark.parity
@pytest.mark.parametrize("call_kwargs", [{}, {"return_attention_scores": True}])
def test_grouped_query_attention_symbolic_matches_keras(call_kwargs):
    keras = keras_or_skip()
    ref = keras.layers.GroupQueryAttention(**GQA)(
        keras.Input((4, 6)), keras.Input((7, 6)), **call_kwargs
    )
    ours = GroupQueryAttention(**GQA)(Input((4, 6)), Input((7, 6)), **call_kwargs)
    ref, ours = (r if isinstance(r, tuple) else (r,) for r in (ref, ours))
    assert [(t.shape, t.dtype) for t in ours] == [(tuple(t.shape), t.dtype) for t in ref]


@pytest.mark.parity
def test_grouped_query_attention_reads_embedding_masks_like_keras():
    keras = keras_or_skip()
    ids = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]], dtype="int32")

    def build(lib, gqa_cls, emb_cls, input_fn):
        inputs = input_fn((5,), dtype="int32")
        x = emb_cls(7, 6, mask_zero=True)(inputs)
        return lib(inputs, gqa_cls(**GQA)(x, x))

    ref = build(keras.Model, keras.layers.GroupQueryAttention, keras.layers.Embedding, keras.Input)
    ours = build(Model, GroupQueryAttention, Embedding, Input)
    ours.set_weights(ref.get_weights())
    got = ours(torch.from_numpy(ids))
    # Keras warns that its inner EinsumDense projections drop the masks (it still uses them).
    with pytest.warns(UserWarning, match="destroy the mask information"):
        expected = ref(ids)
    assert_close(got, expected)
    np.testing.assert_array_equal(got._keras_mask.numpy(), ids != 0)


@pytest.mark.parity
def test_grouped_query_attention_keras_files_both_ways(tmp_path):
    def build(k, cls):
        query, value = k.Input((4, 6)), k.Input((5, 6))
        layer = cls(**GQA, sliding_window=3, use_gate=True)
        return k.Model([query, value], layer(query, value))

    rng = np.random.default_rng(3)
    inputs = [rng.normal(size=s).astype("float32") for s in ((2, 4, 6), (2, 5, 6))]
    assert_keras_files_round_trip(
        tmp_path, build, inputs, GroupQueryAttention, keras_name="GroupQueryAttention"
    )


def test_grouped_query_attention_uses_fused_kernel_unless_scores_or_dropout(monkeypatch):
    calls = []
    real = F.scaled_dot_product_attention
    monkeypatch.setattr(
        F, "scaled_dot_product_attention", lambda *a, **k: calls.append(k) or real(*a, **k)
    )
    q = torch.randn(2, 4, 6)
    layer = GroupQueryAttention(**GQA)
    layer(q, q)
    layer(q, q, use_causal_mask=True)
    assert len(calls) == 2
    assert calls[1]["is_causal"]
    assert calls[1]["attn_mask"] is None
    layer(q, q, return_attention_scores=True)
    GroupQueryAttention(**GQA, dropout=0.1)(q, q)
    assert len(calls) == 2


def test_grouped_query_attention_dropout_is_seeded_and_gradients_reach_every_weight():
    q = torch.randn(2, 4, 6)
    a, b = (GroupQueryAttention(**GQA, dropout=0.5, seed=4, use_gate=True) for _ in range(2))
    a(q, q)
    b(q, q)
    b.set_weights(a.get_weights())
    assert torch.equal(a(q, q, training=True), b(q, q, training=True))
    out = a(q, q, training=True)
    (out * torch.randn(out.shape)).sum().backward()
    assert len(a.trainable_weights) == 10
    for w in a.trainable_weights:
        assert w.grad is not None, w.path
        assert torch.isfinite(w.grad).all(), w.path


def test_grouped_query_attention_rejects_bad_arguments():
    with pytest.raises(ValueError, match="must be divisible by `num_key_value_heads`"):
        GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=2)
    with pytest.raises(ValueError, match="`sliding_window` must be"):
        GroupQueryAttention(**GQA, sliding_window=0)
    with pytest.raises(ValueError, match="Dropout is not supported when flash attention"):
        GroupQueryAttention(**GQA, dropout=0.1, flash_attention=True)
    with pytest.raises(ValueError, match="Returning attention scores is not supported"):
        GroupQueryAttention(**GQA, flash_attention=True)(
            torch.randn(1, 2, 6), torch.randn(1, 2, 6), return_attention_scores=True
        )
    with pytest.raises(ValueError, match="last dimension of `query_shape` and `value_shape`"):
        GroupQueryAttention(**GQA)(Input((4, 6)), Input((4, 5)))


def test_grouped_query_attention_flash_attention_requires_torch_flash_kernel():
    # float32 cannot use torch's flash kernel (on any device): an explicit request fails,
    # as in Keras; `False` (and `None`) let torch choose.
    q = torch.randn(1, 3, 6)
    with pytest.raises(RuntimeError, match="flash attention is not supported"):
        GroupQueryAttention(**GQA, flash_attention=True)(q, q)
    assert GroupQueryAttention(**GQA, flash_attention=False)(q, q).shape == (1, 3, 6)
