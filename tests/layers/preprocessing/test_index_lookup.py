"""`IndexLookup`'s saved state, as Keras 3 writes it: `vocabulary.txt` in the layer's assets
folder (every token, special tokens included, one a line, no final newline) and, in
`"tf_idf"` mode, the IDF weights as the `idf_weights` entry of its `vars`. Keras's lookup
layers need TensorFlow, so the expected file contents are those of Keras's
`IndexLookup.save_assets` (`"\\n".join(str(w) for w in get_vocabulary())`), written out."""

import os

import numpy as np
import pytest

from kerastorch.layers.preprocessing.integer_lookup import IntegerLookup
from kerastorch.layers.preprocessing.string_lookup import StringLookup

DATA = [["a", "c", "d"], ["d", "z", "b"]]


def _vocabulary_file(folder):
    with open(os.path.join(folder, "vocabulary.txt"), "rb") as f:
        return f.read()


def test_adapted_lookup_writes_keras_vocabulary_file_and_reads_it_back(tmp_path):
    layer = StringLookup(mask_token="", num_oov_indices=2)
    layer.adapt(DATA)
    layer.save_assets(str(tmp_path))
    assert _vocabulary_file(tmp_path) == b"\n[UNK]\n[UNK]\nd\nz\nc\nb\na"
    fresh = StringLookup(mask_token="", num_oov_indices=2)
    fresh.load_assets(str(tmp_path))
    assert fresh.get_vocabulary() == layer.get_vocabulary()
    assert fresh(DATA).tolist() == layer(DATA).tolist()


def test_integer_lookup_vocabulary_file_holds_the_integers_as_text(tmp_path):
    layer = IntegerLookup(mask_token=0)
    layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    layer.save_assets(str(tmp_path))
    assert _vocabulary_file(tmp_path) == b"0\n-1\n42\n1138\n1000\n36\n12"
    fresh = IntegerLookup(mask_token=0)
    fresh.load_assets(str(tmp_path))
    assert fresh.get_vocabulary() == [0, -1, 42, 1138, 1000, 36, 12]
    assert fresh([[42, 7, 0]]).tolist() == [[2, 1, 0]]


def test_vocabulary_given_in_the_config_writes_and_reads_no_asset(tmp_path):
    layer = StringLookup(vocabulary=["x", "y"])
    layer.save_assets(str(tmp_path))
    assert os.listdir(tmp_path) == []
    (tmp_path / "vocabulary.txt").write_text("[UNK]\nother")
    layer.load_assets(str(tmp_path))
    assert layer.get_vocabulary() == ["[UNK]", "x", "y"]


def test_layer_never_adapted_round_trips_its_special_tokens(tmp_path):
    StringLookup().save_assets(str(tmp_path))
    assert _vocabulary_file(tmp_path) == b"[UNK]"
    fresh = StringLookup()
    fresh.load_assets(str(tmp_path))
    assert fresh.get_vocabulary() == ["[UNK]"]
    bare = StringLookup(num_oov_indices=0)
    bare.save_assets(str(tmp_path))
    assert _vocabulary_file(tmp_path) == b""
    bare.load_assets(str(tmp_path))  # nothing to set: stays empty
    assert bare.get_vocabulary() == []


@pytest.mark.parametrize("pad_to_max_tokens", [False, True])
def test_tf_idf_weights_are_keras_own_variable_and_restore_outputs(tmp_path, pad_to_max_tokens):
    kwargs = {"output_mode": "tf_idf", "max_tokens": 8, "pad_to_max_tokens": pad_to_max_tokens}
    layer = StringLookup(**kwargs)
    layer.adapt(DATA)
    store = {}
    layer.save_own_variables(store)
    assert list(store) == ["idf_weights"]
    np.testing.assert_array_equal(store["idf_weights"], layer.idf_weights.numpy())
    assert store["idf_weights"].dtype == np.float32
    assert store["idf_weights"].shape == ((8,) if pad_to_max_tokens else (6,))
    layer.save_assets(str(tmp_path))
    fresh = StringLookup(**kwargs)
    fresh.load_own_variables(store)  # Keras's order: variables, then assets
    fresh.load_assets(str(tmp_path))
    assert fresh.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(fresh(DATA).numpy(), layer(DATA).numpy())


def test_int_mode_saves_no_own_variables():
    layer = StringLookup()
    layer.adapt(DATA)
    store = {}
    layer.save_own_variables(store)
    layer.load_own_variables(store)
    assert store == {}


def test_token_with_a_line_break_cannot_be_saved_as_a_line(tmp_path):
    layer = StringLookup()
    layer.adapt([["two\nlines", "a"]])
    with pytest.raises(ValueError, match=r"string_lookup.*line breaks.*constructor"):
        layer.save_assets(str(tmp_path))


def test_keras_file_with_windows_line_ends_and_trailing_newline_loads(tmp_path):
    (tmp_path / "vocabulary.txt").write_bytes("[UNK]\r\nß\r\nb\r\n\r\n".encode())
    layer = StringLookup()
    layer.load_assets(str(tmp_path))
    assert layer.get_vocabulary() == ["[UNK]", "ß", "b"]
