"""Keras's TextVectorization needs TensorFlow (ImportError without it): expected values are
derived by hand from its documented behaviour (TF's lower-casing, punctuation stripping and
whitespace splitting; frequency-sorted vocabulary with `""` and `"[UNK]"` first)."""

import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.text_vectorization import TextVectorization

CORPUS = ["The cat sat.", "The dog ran!", "the CAT ran"]


def test_text_vectorization_adapt_and_int_output():
    layer = TextVectorization()
    layer.adapt(CORPUS)
    # counts: the x3, ran x2, cat x2, then sat, dog; ties by decreasing token
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "ran", "cat", "sat", "dog"]
    out = layer(["The  cat, flew", "dog"])
    assert out.dtype == torch.int64
    assert out.tolist() == [[2, 4, 1], [6, 0, 0]]  # padded to the longest sequence


def test_text_vectorization_output_sequence_length_pads_and_truncates():
    layer = TextVectorization(output_sequence_length=2, vocabulary=["a", "b"])
    assert layer(np.array(["a b a", "b"])).tolist() == [[2, 3], [3, 0]]
    assert layer(np.array([["a"], ["c"]])).tolist() == [[2, 0], [1, 0]]


def test_text_vectorization_standardize_only_lowers_ascii():
    layer = TextVectorization(vocabulary=["Énorme", "énorme"], standardize="lower")
    assert layer(["ÉNORME énorme"]).tolist() == [[2, 3]]  # TF lowers ASCII only


def test_text_vectorization_ngrams_and_modes():
    layer = TextVectorization(ngrams=2, split="whitespace", output_mode="count",
                              vocabulary=["a", "b", "a b"])  # fmt: skip
    # tokens a b a -> unigrams a, b, a + bigrams "a b", "b a" (OOV)
    assert layer(["a b a"]).tolist() == [[1, 2, 1, 1]]
    multi = TextVectorization(output_mode="multi_hot", vocabulary=["a", "b"])
    assert multi(["a a c", "b"]).tolist() == [[1, 1, 0], [0, 0, 1]]


def test_text_vectorization_tf_idf_adapt():
    layer = TextVectorization(output_mode="tf_idf")
    layer.adapt(["a b", "a a", "c a"])
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    expected = np.array([[0, 2 * idf[0], 0, 0]], dtype="float32")
    np.testing.assert_allclose(layer(["a a"]).numpy(), expected, rtol=1e-6)


def test_text_vectorization_character_split_and_callables():
    layer = TextVectorization(split="character", standardize=None, vocabulary=["a", "b"])
    assert layer(["abca"]).tolist() == [[2, 3, 1, 2]]
    custom = TextVectorization(
        standardize=lambda x: np.char.upper(x),
        split=lambda x: [s.split("-") for s in x],
        vocabulary=["A", "B"],
    )
    assert custom(["a-b-c"]).tolist() == [[2, 3, 1]]


def test_text_vectorization_split_none_looks_up_whole_strings():
    layer = TextVectorization(split=None, output_mode="one_hot", vocabulary=["yes", "no"])
    assert layer(["Yes!", "maybe"]).tolist() == [[0, 1, 0], [1, 0, 0]]


def test_text_vectorization_config_round_trips():
    layer = TextVectorization(max_tokens=10, ngrams=(1, 2), vocabulary=["a", "b"], name="tv")
    config = layer.get_config()
    assert {k: config[k] for k in ("max_tokens", "ngrams", "vocabulary", "vocabulary_size")} == {
        "max_tokens": 10,
        "ngrams": (1, 2),
        "vocabulary": ["a", "b"],
        "vocabulary_size": 4,
    }
    clone = TextVectorization.from_config(config)
    assert clone.get_config() == config
    assert clone(["a b c"]).tolist() == layer(["a b c"]).tolist()
    assert TextVectorization().get_config()["vocabulary_size"] == 2  # "" and "[UNK]"


def test_text_vectorization_validation():
    with pytest.raises(ValueError, match="output_sequence_length"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="`ngrams`"):
        TextVectorization(ngrams="2")
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))


@pytest.mark.parametrize(
    "kwargs", [{"ngrams": 2, "output_sequence_length": 6}, {"output_mode": "tf_idf"}]
)
def test_text_vectorization_adapted_vocabulary_survives_keras_file(tmp_path, kwargs):
    import kerastorch as kt

    texts = ["The cat sat.", "The dog ran!", "a dog"]
    layer = TextVectorization(**kwargs)
    layer.adapt(texts)
    with pytest.warns(UserWarning, match="not yet been built"):  # string inputs: unbuilt
        kt.Sequential([layer]).save(tmp_path / "m.keras")
    loaded = kt.saving.load_model(tmp_path / "m.keras").layers[0]
    assert loaded.get_vocabulary() == layer.get_vocabulary()
    assert "the" in loaded.get_vocabulary()  # adapted, not only the special tokens
    np.testing.assert_array_equal(loaded([*texts, "new words"]), layer([*texts, "new words"]))
