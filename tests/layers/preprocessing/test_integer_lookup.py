"""Keras's IntegerLookup needs TensorFlow (ImportError without it): expected values are the
examples of Keras's docstring and values derived by hand from its documented rules."""

import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.integer_lookup import IntegerLookup

VOCAB = [12, 36, 1138, 42]
DATA = [[12, 1138, 42], [42, 1000, 36]]


@pytest.mark.parametrize("convert", [list, np.array, torch.tensor])
def test_integer_lookup_documented_lookups(convert):
    out = IntegerLookup(vocabulary=VOCAB)(convert(DATA))
    assert out.dtype == torch.int64
    assert out.tolist() == [[1, 3, 4], [4, 0, 2]]


def test_integer_lookup_adapt_and_vocabulary():
    layer = IntegerLookup()
    layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36], [36, 42, 42]]))
    # counts: 42 x4, 36 x2, then ties (count 1) by decreasing value
    assert layer.get_vocabulary() == [-1, 42, 36, 1138, 1000, 12]
    assert layer(np.array([[42, 7]])).tolist() == [[1, 0]]


def test_integer_lookup_multiple_oov_indices_floormod_and_farmhash():
    layer = IntegerLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert layer([[12, 1000, 1001]]).tolist() == [[2, 0, 1]]  # 1000 % 2, 1001 % 2
    hashed = IntegerLookup(vocabulary=[100], num_oov_indices=3, oov_method="farmhash")
    # FarmHash of the decimal strings: Keras's Hashing test maps 0..4 to 1, 0, 1, 0, 2
    assert hashed([0, 1, 2, 3, 4]).tolist() == [1, 0, 1, 0, 2]


def test_integer_lookup_mask_invert_and_modes():
    layer = IntegerLookup(vocabulary=VOCAB, mask_token=0)
    assert layer([[12, 0, 7]]).tolist() == [[2, 0, 1]]
    inverse = IntegerLookup(vocabulary=VOCAB, invert=True)
    out = inverse(torch.tensor([[1, 3, 4], [4, 0, 2]]))
    assert out.tolist() == [[12, 1138, 42], [42, -1, 36]]
    multi = IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")([[12, 12, 5]])
    assert multi.tolist() == [[1, 1, 0, 0, 0]]


def test_integer_lookup_config_round_trips():
    layer = IntegerLookup(vocabulary=np.array(VOCAB), mask_token=0, name="ids")
    config = layer.get_config()
    assert config["vocabulary"] == VOCAB
    assert config["vocabulary_dtype"] == "int64"
    assert (config["mask_token"], config["oov_token"], config["vocabulary_size"]) == (0, -1, 6)
    assert IntegerLookup.from_config(config).get_config() == config


def test_integer_lookup_validation():
    with pytest.raises(ValueError, match="greater than 1"):
        IntegerLookup(max_tokens=1)
    with pytest.raises(ValueError, match="int64"):
        IntegerLookup(vocabulary_dtype="int32")


def test_integer_lookup_in_functional_model_keeps_adapted_vocabulary(tmp_path):
    import zipfile

    import kerastorch as kt

    lookup = IntegerLookup(mask_token=0)
    lookup.adapt(np.array([[3, 4, 4], [5, 4, 3]]))
    inputs = kt.Input((3,), dtype="int64")
    model = kt.Model(inputs, kt.layers.Embedding(8, 2)(lookup(inputs)))
    model.save(tmp_path / "f.keras")
    loaded = kt.saving.load_model(tmp_path / "f.keras")
    assert loaded.layers[1].get_vocabulary() == [0, -1, 4, 3, 5]
    x = np.array([[3, 9, 0]])
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())
    with zipfile.ZipFile(tmp_path / "f.keras") as archive:  # Keras's asset path and format
        assert archive.read("assets/layers/integer_lookup/vocabulary.txt") == b"0\n-1\n4\n3\n5"
