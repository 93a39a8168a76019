"""ReversibleEmbedding: Keras parity forward and reverse, tied or not, soft cap, `.keras` files."""

import warnings

import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.reversible_embedding import ReversibleEmbedding
from tests.layer_checks import check_layer
from tests.layers.keras_files import assert_keras_files_round_trip
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "trainable"),
    [({"input_dim": 10, "output_dim": 4}, 1),
     ({"input_dim": 10, "output_dim": 4, "tie_weights": False, "mask_zero": True}, 2)],
)  # fmt: skip
def test_reversible_embedding_forward_matches_keras(kwargs, trainable):
    check_layer(
        ReversibleEmbedding,
        kwargs,
        (2, 5),
        input_dtype="int32",
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=trainable,
        run_backward=trainable == 1,  # the forward call never reads `reverse_embeddings`
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_dim": 10, "output_dim": 4},
        {"input_dim": 10, "output_dim": 4, "tie_weights": False},
        {"input_dim": 10, "output_dim": 4, "logit_soft_cap": 0.5},
        {"input_dim": 10, "output_dim": 4, "tie_weights": False, "reverse_dtype": "float64"},
    ],
)
def test_reversible_embedding_reverse_matches_keras(kwargs):
    check_layer(
        ReversibleEmbedding,
        {**kwargs, "embeddings_initializer": "random_normal"},
        (2, 3, 4),
        call_kwargs={"reverse": True},
        expected_output_shape=(2, 3, 10),
        expected_num_trainable_weights=1 if kwargs.get("tie_weights", True) else 2,
        check_models=False,  # a Sequential cannot pass `reverse=True`
        run_backward=kwargs.get("tie_weights", True),  # untied: `embeddings` is not read
    )


def test_reversible_embedding_tied_reverse_is_the_transposed_embedding():
    layer = ReversibleEmbedding(6, 3, logit_soft_cap=2.0)
    x = torch.randn(2, 3)
    layer.build()
    expected = np.tanh((x.numpy() @ layer.get_weights()[0].T) / 2.0) * 2.0
    assert_close(layer(x, reverse=True), expected)


@pytest.mark.parity
def test_reversible_embedding_mask_like_keras():
    keras = keras_or_skip()
    ids = np.array([[1, 0, 2]], "int32")
    ours = ReversibleEmbedding(5, 2, mask_zero=True)
    ref = keras.layers.ReversibleEmbedding(5, 2, mask_zero=True)
    got, want = ours(torch.from_numpy(ids)), ref(ids)
    want_mask = keras.ops.convert_to_numpy(want._keras_mask)
    np.testing.assert_array_equal(got._keras_mask.numpy(), want_mask)
    # compute_mask is None (Keras's too): symbolic outputs carry no mask.
    symbolic = ReversibleEmbedding(5, 2, mask_zero=True)(Input((3,), dtype="int32"))
    assert getattr(symbolic, "_keras_mask", None) is None


@pytest.mark.parity
def test_reversible_embedding_keras_files_both_ways(tmp_path):
    def build(k, cls):
        ids = k.Input((4,), dtype="int32")
        layer = cls(9, 3, tie_weights=False, logit_soft_cap=3.0)
        logits = layer(layer(ids), reverse=True)
        rng = np.random.default_rng(0)
        layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.weights])
        return k.Model(ids, logits)

    ids = np.array([[1, 2, 3, 0], [8, 7, 6, 5]], "int32")
    assert_keras_files_round_trip(tmp_path, build, ids, ReversibleEmbedding)


QUANTIZED_CASES = [  # (tie_weights, mode, Int4QuantizationConfig block_size or None)
    (True, "int8", None), (False, "int8", None), (True, "int4", None), (False, "int4", None),
    (True, "int4", -1), (False, "int4", -1), (True, "int4", 3), (False, "int4", 3),
]  # fmt: skip


def _quantize(layer, quantizers, mode, block_size):
    if block_size is None:
        layer.quantize(mode)
    else:
        layer.quantize(mode, config=quantizers.Int4QuantizationConfig(block_size=block_size))


@pytest.mark.parity
@pytest.mark.parametrize(("tie", "mode", "block_size"), QUANTIZED_CASES)
def test_quantized_reverse_projection_matches_keras(tie, mode, block_size):
    keras = keras_or_skip()
    from kerastorch import quantizers

    ours = ReversibleEmbedding(9, 5, tie_weights=tie, logit_soft_cap=2.0)
    ref = keras.layers.ReversibleEmbedding(9, 5, tie_weights=tie, logit_soft_cap=2.0)
    ours.build()
    ref.build()
    rng = np.random.default_rng(1)
    ref.set_weights([rng.normal(size=tuple(w.shape)).astype("float32") for w in ref.weights])
    ours.set_weights(ref.get_weights())
    _quantize(ours, quantizers, mode, block_size)
    _quantize(ref, keras.quantizers, mode, block_size)
    assert [(w.name, w.dtype, w.shape) for w in ours.weights] == [
        (w.name, w.dtype, tuple(w.shape)) for w in ref.weights
    ]
    for got, want in zip(ours.get_weights(), ref.get_weights(), strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    ids = np.array([[1, 2, 8], [0, 3, 3]], "int32")
    hidden = rng.normal(size=(2, 3, 5)).astype("float32")
    assert_close(ours(torch.from_numpy(ids)), ref(ids), atol=0, rtol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Keras transposes a 1-D scale (`x.T`)
        want = ref(hidden, reverse=True)
    assert_close(ours(torch.from_numpy(hidden), reverse=True), want, atol=0, rtol=0)
    config = {k: v for k, v in ours.get_config().items() if k != "name"}
    assert config == {k: v for k, v in ref.get_config().items() if k != "name"}


@pytest.mark.parity
@pytest.mark.parametrize(("mode", "block_size"), [("int8", None), ("int4", 3)])
def test_quantized_reversible_embedding_keras_files(tmp_path, mode, block_size):
    def build(k, cls):
        ids = k.Input((4,), dtype="int32")
        layer = cls(9, 6, tie_weights=False)
        logits = layer(layer(ids), reverse=True)
        rng = np.random.default_rng(0)
        layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.weights])
        model = k.Model(ids, logits)
        _quantize(layer, k.quantizers, mode, block_size)
        return model

    ids = np.array([[1, 2, 3, 0], [8, 7, 6, 5]], "int32")
    assert_keras_files_round_trip(tmp_path, build, ids, ReversibleEmbedding)
