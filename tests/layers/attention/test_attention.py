"""Attention and AdditiveAttention: Keras parity across score modes, masks, causality."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.attention import AdditiveAttention, Attention
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.models import Model
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

SHAPES = {2: [(2, 3, 4), (2, 5, 4)], 3: [(2, 3, 4), (2, 5, 4), (2, 5, 4)]}
ATTENTION_CASES = [
    ({}, 2, {}),
    ({"use_scale": True}, 3, {}),
    ({"score_mode": "concat"}, 2, {}),
    ({"score_mode": "concat", "use_scale": True}, 3, {"return_attention_scores": True}),
    ({"use_scale": True}, 2, {"return_attention_scores": True}),
    ({"dropout": 0.5, "seed": 1}, 2, {}),  # inference: dropout inactive
]


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "n_inputs", "call_kwargs"), ATTENTION_CASES)
def test_attention_matches_keras(kwargs, n_inputs, call_kwargs):
    trainable = int(kwargs.get("use_scale", False)) + int(kwargs.get("score_mode") == "concat")
    shapes = SHAPES[n_inputs]
    expected = [(2, 3, 4), (2, 3, 5)] if call_kwargs else (2, 3, 4)
    check_layer(
        Attention, kwargs, shapes, expected_output_shape=expected,
        expected_num_trainable_weights=trainable, call_kwargs=call_kwargs,
    )  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "n_inputs", "call_kwargs"),
    [({}, 2, {}), ({"use_scale": False}, 3, {}), ({}, 2, {"return_attention_scores": True})],
)
def test_additive_attention_matches_keras(kwargs, n_inputs, call_kwargs):
    expected = [(2, 3, 4), (2, 3, 5)] if call_kwargs else (2, 3, 4)
    check_layer(
        AdditiveAttention, kwargs, SHAPES[n_inputs], expected_output_shape=expected,
        expected_num_trainable_weights=int(kwargs.get("use_scale", True)),
        call_kwargs=call_kwargs,
    )  # fmt: skip


def _masks(rng):
    q_mask = rng.random((2, 3)) > 0.3
    v_mask = rng.random((2, 5)) > 0.3
    v_mask[1] = False  # a fully masked row: Keras subtracts 1e9 from every score
    v_mask[0, 0] = True
    return q_mask, v_mask


@pytest.mark.parity
@pytest.mark.parametrize("cls_name", ["Attention", "AdditiveAttention"])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("scores", [False, True])
def test_attention_masks_and_causal_match_keras(cls_name, causal, scores):
    keras = keras_or_skip()
    cls = {"Attention": Attention, "AdditiveAttention": AdditiveAttention}[cls_name]
    rng = np.random.default_rng(0)
    q, v = (
        rng.normal(size=(2, 3, 4)).astype("float32"),
        rng.normal(size=(2, 5, 4)).astype("float32"),
    )
    q_mask, v_mask = _masks(rng)
    ref, ours = getattr(keras.layers, cls_name)(), cls()
    kwargs = {"use_causal_mask": causal, "return_attention_scores": scores}
    expected = ref([q, v], mask=[q_mask, v_mask], **kwargs)
    ours([torch.from_numpy(q), torch.from_numpy(v)])
    ours.set_weights(ref.get_weights())
    got = ours(
        [torch.from_numpy(q), torch.from_numpy(v)],
        mask=[torch.from_numpy(q_mask), torch.from_numpy(v_mask)], **kwargs,
    )  # fmt: skip
    assert_close(got, expected)
    output = got[0] if scores else got
    np.testing.assert_array_equal(output._keras_mask.numpy(), q_mask)


def test_attention_dot_scores_run_scaled_dot_product_attention(monkeypatch):
    calls = []
    real = F.scaled_dot_product_attention
    monkeypatch.setattr(
        F, "scaled_dot_product_attention", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    Attention(use_scale=True)([q, v])
    assert calls == [1]
    Attention()([q, v], return_attention_scores=True)  # explicit softmax for the scores
    AdditiveAttention()([q, v])
    assert calls == [1]


def test_attention_dropout_in_training_is_seeded_and_rows_rescale():
    q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    layer = Attention(dropout=0.5, seed=3)
    _, weights = layer([q, v], training=True, return_attention_scores=True)
    kept = weights[weights > 0]
    assert 0 < kept.numel() < weights.numel()
    again = Attention(dropout=0.5, seed=3)
    _, weights_again = again([q, v], training=True, return_attention_scores=True)
    assert torch.equal(weights, weights_again)
    _, inference = layer([q, v], return_attention_scores=True)
    assert_close(inference.sum(-1), np.ones((2, 3)))


def test_attention_reads_masks_of_embedding_outputs_in_a_model():
    query_ids, value_ids = Input((3,), dtype="int64"), Input((4,), dtype="int64")
    embed = Embedding(6, 4, mask_zero=True)
    out = Attention()([embed(query_ids), embed(value_ids)])
    model = Model([query_ids, value_ids], out)
    assert out.shape == (None, 3, 4)
    q_ids, v_ids = torch.tensor([[1, 2, 0]]), torch.tensor([[3, 0, 0, 5]])
    result = model([q_ids, v_ids])
    assert result[0, 2].abs().sum() == 0  # masked query
    _, weights = Attention()([embed(q_ids), embed(v_ids)], return_attention_scores=True)
    assert (weights[..., 1:3] == 0).all()  # masked values get no weight
    assert result._keras_mask.tolist() == [[True, True, False]]


def test_attention_rejects_bad_inputs():
    with pytest.raises(ValueError, match="must be called on a list of inputs"):
        Attention()(torch.ones(1, 2, 3))
    with pytest.raises(ValueError, match="accepts inputs list of length 2 or 3"):
        Attention()([torch.ones(1, 2, 3)])
    with pytest.raises(ValueError, match="Invalid value for argument score_mode"):
        Attention(score_mode="add")
