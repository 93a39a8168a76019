"""Keras's StringLookup needs TensorFlow (it raises ImportError without it), so these tests
check the outputs that Keras documents (the examples of its docstring and tests) and
values computed by hand from its documented rules."""

import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.string_lookup import StringLookup

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]


def test_string_lookup_documented_int_lookups():
    assert StringLookup(vocabulary=VOCAB)(DATA).tolist() == [[1, 3, 4], [4, 0, 2]]
    out = StringLookup(vocabulary=VOCAB)(np.array(DATA))
    assert out.dtype == torch.int64
    assert out.tolist() == [[1, 3, 4], [4, 0, 2]]
    assert StringLookup(vocabulary=VOCAB)(np.array(DATA, dtype="S")).tolist() == out.tolist()


def test_string_lookup_adapt_sorts_by_count_then_reverse_token():
    layer = StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(DATA).tolist() == [[5, 3, 1], [1, 2, 4]]
    assert layer.vocabulary_size() == 6
    assert layer.get_vocabulary(include_special_tokens=False) == ["d", "z", "c", "b", "a"]


def test_string_lookup_adapt_max_tokens_keeps_the_most_frequent():
    layer = StringLookup(max_tokens=3)
    layer.adapt(np.array(["x", "y", "y", "z", "z", "z"]))
    assert layer.get_vocabulary() == ["[UNK]", "z", "y"]


def test_string_lookup_multiple_oov_indices_hash_with_farmhash():
    layer = StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert layer([["a", "c", "d"], ["m", "z", "b"]]).tolist() == [[2, 4, 5], [0, 1, 3]]


def test_string_lookup_salted_oov_uses_siphash():
    layer = StringLookup(vocabulary=["q"], num_oov_indices=3, salt=[133, 137])
    # Keras's Hashing(num_bins=3, salt=[133, 137]) test: A..E -> 1, 2, 1, 0, 2
    assert layer(list("ABCDE")).tolist() == [1, 2, 1, 0, 2]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("one_hot", [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]),
        ("multi_hot", [[1, 1, 1, 0, 0]]),
        ("count", [[1, 1, 1, 0, 0]]),
    ],
)
def test_string_lookup_vector_modes(mode, expected):
    data = ["a", "b", "z"] if mode == "one_hot" else [["a", "b", "z"]]
    out = StringLookup(vocabulary=VOCAB, output_mode=mode)(data)
    assert out.dtype == torch.int64  # as Keras (int64 bincounts)
    assert out.tolist() == expected


def test_string_lookup_documented_multi_hot_and_count():
    data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    multi = StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(data)
    count = StringLookup(vocabulary=VOCAB, output_mode="count")(data)
    assert multi.tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    assert count.tolist() == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]


def test_string_lookup_documented_tf_idf():
    data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(
        layer(data).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6
    )
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(["[UNK]", *VOCAB], idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(
        layer(data).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], rtol=1e-6
    )


def test_string_lookup_adapt_tf_idf_weights():
    layer = StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b"], ["a", "a"], ["c", "a"]])
    # idf = log(1 + 3 / (1 + doc_count)); OOV gets the mean
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    assert layer.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    np.testing.assert_allclose(layer.idf_weights.numpy(), [idf.mean(), *idf], rtol=1e-6)


def test_string_lookup_mask_token_and_invert():
    layer = StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer([["a", "", "z"]]).tolist() == [[2, 0, 1]]
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    inverse = StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse([[1, 3, 4], [4, 0, 2]]) == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    assert inverse(StringLookup(vocabulary=VOCAB)(["a", "z"])) == ["a", "[UNK]"]


def test_string_lookup_zero_oov_indices_raise_on_oov():
    layer = StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    assert layer(["a", "d"]).tolist() == [0, 3]
    with pytest.raises(ValueError, match="found OOV values"):
        layer(["a", "zz"])


def test_string_lookup_config_is_keras_shaped_and_round_trips():
    layer = StringLookup(vocabulary=VOCAB, name="lookup")
    config = layer.get_config()
    assert config == {
        "name": "lookup",
        "trainable": True,
        "dtype": {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": "float32"},
            "registered_name": None,
        },
        "invert": False,
        "max_tokens": None,
        "num_oov_indices": 1,
        "oov_token": "[UNK]",
        "mask_token": None,
        "output_mode": "int",
        "sparse": False,
        "pad_to_max_tokens": False,
        "idf_weights": None,
        "vocabulary": VOCAB,
        "vocabulary_size": 5,
        "oov_method": "floormod",
        "salt": None,
        "encoding": "utf-8",
    }
    clone = StringLookup.from_config(config)
    assert clone.get_config() == config
    assert clone(DATA).tolist() == layer(DATA).tolist()
    assert layer.weights == []
    assert layer.count_params() == 0


def test_string_lookup_validation_errors():
    with pytest.raises(ValueError, match="repeated term"):
        StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="larger than the maximum vocab size"):
        StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match="must be `'int'` when `invert`"):
        StringLookup(invert=True, output_mode="multi_hot")
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary"):
        StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        StringLookup(vocabulary=VOCAB).adapt(["a"])


def test_string_lookup_pad_to_max_tokens_widens_outputs():
    out = StringLookup(vocabulary=VOCAB, output_mode="multi_hot", pad_to_max_tokens=True,
                       max_tokens=8)([["a", "z"]])  # fmt: skip
    assert out.tolist() == [[1, 1, 0, 0, 0, 0, 0, 0]]


@pytest.mark.parametrize("output_mode", ["int", "tf_idf"])
def test_string_lookup_adapted_vocabulary_survives_keras_file(tmp_path, output_mode):
    import kerastorch as kt

    layer = StringLookup(output_mode=output_mode, num_oov_indices=2)
    layer.adapt(DATA)
    with pytest.warns(UserWarning, match="not yet been built"):  # string inputs: unbuilt
        kt.Sequential([layer]).save(tmp_path / "m.keras")
    loaded = kt.saving.load_model(tmp_path / "m.keras").layers[0]
    assert loaded.get_vocabulary() == ["[UNK]", "[UNK]", "d", "z", "c", "b", "a"]
    np.testing.assert_array_equal(loaded(DATA).numpy(), layer(DATA).numpy())
