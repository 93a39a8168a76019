"""MultiHeadAttention: Keras parity of weights, outputs, scores, masks; fused kernel use."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kerastorch.layers.attention import MultiHeadAttention
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.input_layer import Input
from kerastorch.models import Model
from tests.oracle import assert_close, keras_or_skip


def _arrays(rng, *shapes):
    return [rng.normal(size=s).astype("float32") for s in shapes]


def _build_pair(keras, kwargs, q, v, k=None):
    """Keras's layer and ours, built on the same shapes, ours holding Keras's weights."""
    ref, ours = keras.layers.MultiHeadAttention(**kwargs), MultiHeadAttention(**kwargs)
    ref.build(q.shape, v.shape, None if k is None else k.shape)
    ours.build(q.shape, v.shape, None if k is None else k.shape)
    assert [w.path for w in ours.weights] == [w.path.split("/", 1)[1] for w in ref.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in ref.get_weights()]
    assert ours.count_params() == ref.count_params()
    assert (len(ours.trainable_weights), len(ours.non_trainable_weights)) == (
        len(ref.trainable_weights), len(ref.non_trainable_weights),
    )  # fmt: skip
    ours.set_weights(ref.get_weights())
    return ref, ours


def _torch_kwargs(call_kwargs):
    return {
        k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in call_kwargs.items()
    }


_AM = np.random.default_rng(7).random((2, 4, 5)) > 0.4
_AM[0, 1] = False  # a fully masked query row (Keras's fused path: uniform weights)
_AM2 = np.random.default_rng(8).random((2, 3, 4, 3, 2)) > 0.3
_AM2[0, 0, 0] = False

CASES = [
    ({"num_heads": 2, "key_dim": 3}, (2, 4, 6), (2, 5, 6), None, {}),
    ({"num_heads": 2, "key_dim": 3, "value_dim": 4, "output_shape": 7}, (2, 4, 6), (2, 5, 6),
     (2, 5, 3), {}),
    ({"num_heads": 3, "key_dim": 2, "output_shape": (2, 3)}, (2, 4, 6), (2, 5, 6), None, {}),
    ({"num_heads": 2, "key_dim": 3}, (2, 4, 6), (2, 5, 6), None, {"return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 3, "use_bias": False}, (2, 4, 6), (2, 4, 6), None,
     {"use_causal_mask": True}),
    ({"num_heads": 2, "key_dim": 3}, (2, 4, 6), (2, 6, 6), None,
     {"use_causal_mask": True, "return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 3}, (2, 4, 6), (2, 5, 6), None, {"attention_mask": _AM}),
    ({"num_heads": 2, "key_dim": 3}, (2, 4, 6), (2, 5, 6), None,
     {"attention_mask": _AM, "return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 3, "dropout": 0.3}, (2, 4, 6), (2, 5, 6), None,
     {"attention_mask": _AM}),  # inference with dropout: Keras's explicit softmax path
    ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, (2, 3, 4, 6), (2, 3, 2, 6), None,
     {}),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, (2, 3, 4, 6), (2, 3, 2, 6), None,
     {"attention_mask": _AM2, "return_attention_scores": True}),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, (2, 3, 4, 6), (2, 3, 2, 6), None,
     {"attention_mask": _AM2}),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": 2}, (2, 3, 4, 6), (2, 3, 2, 6), None, {}),
    ({"num_heads": 2, "key_dim": 3, "use_gate": True, "sliding_window": 2}, (2, 4, 6),
     (2, 4, 6), None, {"use_causal_mask": True}),
    ({"num_heads": 2, "key_dim": 2, "kernel_initializer": "he_normal",
      "bias_initializer": "ones", "kernel_regularizer": "l2", "bias_constraint": "non_neg"},
     (2, 3, 4), (2, 3, 4), None, {}),
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "q_shape", "v_shape", "k_shape", "call_kwargs"), CASES)
def test_multi_head_attention_matches_keras(kwargs, q_shape, v_shape, k_shape, call_kwargs):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    q, v = _arrays(rng, q_shape, v_shape)
    k = None if k_shape is None else _arrays(rng, k_shape)[0]
    ref, ours = _build_pair(keras, kwargs, q, v, k)
    extra = [] if k is None else [k]
    expected = ref(q, v, *extra, **call_kwargs)
    got = ours(*(torch.from_numpy(a) for a in [q, v, *extra]), **_torch_kwargs(call_kwargs))
    assert_close(got, expected)
    config = {key: val for key, val in ours.get_config().items() if key != "name"}
    assert config == {key: val for key, val in ref.get_config().items() if key != "name"}
    assert sum(float(loss.detach()) for loss in ours.losses) == pytest.approx(
        sum(float(keras.ops.convert_to_numpy(loss)) for loss in ref.losses), rel=1e-5
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "q_shape", "v_shape", "call_kwargs"),
    [
        ({"num_heads": 2, "key_dim": 3}, (4, 6), (5, 6), {}),
        ({"num_heads": 2, "key_dim": 3, "output_shape": (2, 5)}, (4, 6), (5, 8), {}),
        ({"num_heads": 2, "key_dim": 3}, (4, 6), (4, 6), {"return_attention_scores": True}),
        ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, (3, 4, 6), (3, 4, 6), {}),
    ],
)
def test_multi_head_attention_symbolic_shapes_match_keras(kwargs, q_shape, v_shape, call_kwargs):
    keras = keras_or_skip()
    ref = keras.layers.MultiHeadAttention(**kwargs)(
        keras.Input(q_shape), keras.Input(v_shape), **call_kwargs
    )
    ours = MultiHeadAttention(**kwargs)(Input(q_shape), Input(v_shape), **call_kwargs)
    ref, ours = (r if isinstance(r, tuple) else (r,) for r in (ref, ours))
    assert [t.shape for t in ours] == [tuple(t.shape) for t in ref]


def test_multi_head_attention_scores_shape_with_different_lengths():
    # Keras's compute_output_spec reports (B, H, T, T) here; the real scores are (B, H, T, S).
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = layer(Input((4, 6)), Input((7, 6)), return_attention_scores=True)
    _eager_out, eager_scores = layer(torch.randn(2, 4, 6), torch.randn(2, 7, 6),
                                    return_attention_scores=True)  # fmt: skip
    assert out.shape == (None, 4, 6)
    assert scores.shape == (None, 2, 4, 7)
    assert tuple(eager_scores.shape) == (2, 2, 4, 7)


def test_multi_head_attention_in_functional_model_and_gradients():
    query, value = Input((4, 6)), Input((5, 8))
    layer = MultiHeadAttention(num_heads=2, key_dim=3, use_gate=True, dropout=0.1)
    model = Model([query, value], layer(query, value))
    assert model.output_shape == (None, 4, 6)
    assert model.count_params() == layer.count_params()
    q, v = torch.randn(3, 4, 6), torch.randn(3, 5, 8)
    assert_close(model([q, v]), layer(q, v))
    out = model([q, v], training=True)
    (out * torch.randn(out.shape)).sum().backward()
    names = [w.path for w in layer.trainable_weights]
    assert len(names) == 10
    for w in layer.trainable_weights:
        assert w.grad is not None, w.path
        assert torch.isfinite(w.grad).all(), w.path
    self_attention = Model(query, MultiHeadAttention(num_heads=1, key_dim=2)(query, query))
    assert self_attention(q).shape == (3, 4, 6)


@pytest.mark.parity
def test_multi_head_attention_reads_embedding_masks_like_keras():
    keras = keras_or_skip()
    ids = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]], dtype="int32")

    def build(lib, mha_cls, emb_cls, input_fn):
        inputs = input_fn((5,), dtype="int32")
        x = emb_cls(7, 6, mask_zero=True)(inputs)
        return lib(inputs, mha_cls(num_heads=2, key_dim=3)(x, x))

    ref = build(keras.Model, keras.layers.MultiHeadAttention, keras.layers.Embedding, keras.Input)
    ours = build(Model, MultiHeadAttention, Embedding, Input)
    ours.set_weights(ref.get_weights())
    got = ours(torch.from_numpy(ids))
    assert_close(got, ref(ids))
    np.testing.assert_array_equal(got._keras_mask.numpy(), ids != 0)


@pytest.mark.parity
def test_multi_head_attention_given_mask_wins_over_the_inputs_mask_like_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    q = rng.normal(size=(2, 3, 4)).astype("float32")
    v = rng.normal(size=(2, 5, 4)).astype("float32")
    on_tensor = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    given = np.array([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0]], dtype=bool)
    ref = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    ref(q, v)
    ours = MultiHeadAttention(num_heads=2, key_dim=2)
    ours(torch.from_numpy(q), torch.from_numpy(v))
    ours.set_weights(ref.get_weights())
    ref_v = keras.ops.convert_to_tensor(v)
    ref_v._keras_mask = keras.ops.convert_to_tensor(on_tensor)
    our_v = torch.from_numpy(v)
    our_v._keras_mask = torch.from_numpy(on_tensor)
    expected = ref(q, ref_v, value_mask=given)  # Keras fills only a mask not given
    assert_close(ours(torch.from_numpy(q), our_v, value_mask=torch.from_numpy(given)), expected)
    assert_close(ours(torch.from_numpy(q), torch.from_numpy(v), value_mask=given), expected)


def test_multi_head_attention_uses_fused_kernel_unless_scores_or_dropout(monkeypatch):
    calls = []
    real = F.scaled_dot_product_attention
    monkeypatch.setattr(
        F, "scaled_dot_product_attention", lambda *a, **k: calls.append(k) or real(*a, **k)
    )
    q = torch.randn(2, 4, 6)
    layer = MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=0)
    layer(q, q)
    layer(q, q, use_causal_mask=True)
    assert len(calls) == 2
    assert calls[1]["is_causal"]
    assert calls[1]["attn_mask"] is None
    layer(q, q, return_attention_scores=True)
    layer(q, q, training=True)
    assert len(calls) == 2


def test_multi_head_attention_dropout_is_seeded_and_scores_sum_to_one():
    q = torch.randn(2, 4, 6)
    a, b = (MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=4) for _ in range(2))
    a(q, q)
    b(q, q)
    b.set_weights(a.get_weights())
    assert torch.equal(a(q, q, training=True), b(q, q, training=True))
    assert not torch.allclose(a(q, q, training=True), a(q, q))
    _, scores = a(q, q, training=True, return_attention_scores=True)
    assert_close(scores.sum(-1), np.ones((2, 2, 4)))  # scores are taken before dropout


def test_multi_head_attention_weight_layout_and_state_dict():
    layer = MultiHeadAttention(num_heads=4, key_dim=5, value_dim=3)
    layer.build((None, 7, 16), (None, 9, 12))
    shapes = [w.shape for w in layer.weights]
    assert shapes == [(16, 4, 5), (4, 5), (12, 4, 5), (4, 5), (12, 4, 3), (4, 3), (4, 3, 16), (16,)]
    assert list(layer.state_dict())[:2] == ["_query_dense.kernel", "_query_dense.bias"]
    assert layer.query_dense.kernel.shape == (16, 4, 5)
    assert (layer.num_heads, layer.key_dim, layer.value_dim) == (4, 5, 3)


def test_multi_head_attention_config_round_trip():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, output_shape=4, attention_axes=-2)
    assert layer.get_config()["output_shape"] == (4,)
    clone = MultiHeadAttention.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_multi_head_attention_rejects_bad_arguments():
    with pytest.raises(ValueError, match="`num_heads`, expected a positive integer"):
        MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="`sliding_window` must be"):
        MultiHeadAttention(num_heads=1, key_dim=2, sliding_window=0)
    with pytest.raises(ValueError, match="except the last one, must be equal"):
        MultiHeadAttention(num_heads=1, key_dim=2)(
            torch.ones(1, 2, 3), torch.ones(1, 4, 3), torch.ones(1, 5, 3)
        )
