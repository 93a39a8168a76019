"""The `assets/` part of `.keras` archives, compared with what real Keras 3 writes and reads.

Keras's lookup layers need TensorFlow, which the oracle environment lacks, so the Keras side
uses stand-ins: Keras layers with the class names `StringLookup`, `IntegerLookup` and
`TextVectorization` (which give the paths), a `_lookup_layer` inside the
`TextVectorization` (as Keras's), and the body of Keras's `IndexLookup.save_assets` /
`load_assets` / `save_own_variables` / `load_own_variables` (keras/src/layers/preprocessing/
index_lookup.py) on a fixed vocabulary. Real Keras's `saving_lib` walks the model, makes the
folders and zips them, so the paths, file contents and weights entries are Keras's own.
"""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as kt
from kerastorch.layers.preprocessing.integer_lookup import IntegerLookup
from kerastorch.layers.preprocessing.string_lookup import StringLookup
from kerastorch.layers.preprocessing.text_vectorization import TextVectorization
from kerastorch.saving import assets_store, saving_lib
from tests.oracle import keras_or_skip

TEXTS = ["The cat sat.", "The dog ran!", "a dog"]
WORDS = [["a", "c", "d"], ["d", "z", "b"]]


def _keras_standins(keras):
    class _Lookup(keras.layers.Layer):
        def __init__(self, vocab=None, idf=None, in_config=False, **kwargs):
            super().__init__(**kwargs)
            self.vocab, self.idf, self.in_config = vocab, idf, in_config
            self.built = True

        def call(self, x):
            return x

        def get_config(self):
            return {**super().get_config(), "in_config": self.in_config}

        # Keras's IndexLookup methods, `self.input_vocabulary` -> `self.in_config`
        def save_own_variables(self, store):
            if self.idf is not None:
                store["idf_weights"] = np.asarray(self.idf, dtype="float32")

        def load_own_variables(self, store):
            if "idf_weights" in store:
                self.idf = np.asarray(store["idf_weights"])

        def save_assets(self, dir_path):
            if self.in_config:
                return
            with open(os.path.join(dir_path, "vocabulary.txt"), "w") as f:
                f.write("\n".join([str(w) for w in self.vocab]))

        def load_assets(self, dir_path):
            if self.in_config:
                return
            with open(os.path.join(dir_path, "vocabulary.txt")) as f:
                lines = f.read().splitlines()
                while lines and lines[-1] == "":
                    lines.pop()
                self.vocab = lines

    class StringLookup(_Lookup):
        pass

    class IntegerLookup(_Lookup):
        pass

    class TextVectorization(keras.layers.Layer):
        def __init__(self, vocab=None, idf=None, **kwargs):
            super().__init__(**kwargs)
            self._lookup_layer = StringLookup(vocab, idf)
            self.built = True

        def call(self, x):
            return x

        def get_config(self):
            return super().get_config()

        # Keras's TextVectorization methods
        def save_own_variables(self, store):
            self._lookup_layer.save_own_variables(store)

        def load_own_variables(self, store):
            self._lookup_layer.load_own_variables(store)

        def save_assets(self, dir_path):
            self._lookup_layer.save_assets(dir_path)

        def load_assets(self, dir_path):
            self._lookup_layer.load_assets(dir_path)

    return StringLookup, IntegerLookup, TextVectorization


def _ours():
    """Adapted lookups (one of each, TF-IDF included) and one with a config vocabulary."""
    words = StringLookup(mask_token="")
    words.adapt(WORDS)
    numbers = IntegerLookup(output_mode="tf_idf")
    numbers.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    text = TextVectorization(output_mode="tf_idf")
    text.adapt(TEXTS)
    given = StringLookup(vocabulary=["x", "y"])
    return [words, numbers, text, given]


def _save_ours(layers, path):
    with pytest.warns(UserWarning, match="not yet been built"):  # string inputs: unbuilt
        kt.Sequential(layers).save(path)


def _save_keras(keras, layers, path):
    SL, IL, TV = _keras_standins(keras)
    words, numbers, text, _ = layers
    twins = [
        SL(words.get_vocabulary()),
        IL(numbers.get_vocabulary(), numbers.idf_weights.numpy()),
        TV(text.get_vocabulary(), text._lookup_layer.idf_weights.numpy()),
        SL(in_config=True),
    ]
    keras.Sequential([keras.Input((1,)), *twins]).save(path)
    return (SL, IL, TV), twins


def _assets(path):
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("assets")}


def _h5_tree(path):
    """Every group and dataset of the archive's weights file: `{path: value or None}`."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("model.weights.h5")
    found = {}
    with h5py.File(io.BytesIO(data), "r") as h5:
        h5.visititems(
            lambda k, v: found.update({k: v[()] if isinstance(v, h5py.Dataset) else None})
        )
    return found


def _with_config(source, config_from, target):
    """`source`'s archive with the `config.json` of `config_from`."""
    with zipfile.ZipFile(config_from) as archive:
        config = archive.read("config.json")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            out.writestr(name, config if name == "config.json" else src.read(name))


@pytest.mark.parity
def test_assets_layout_and_idf_weights_equal_what_keras_writes(tmp_path):
    keras = keras_or_skip()
    layers = _ours()
    _save_ours(layers, tmp_path / "ours.keras")
    _save_keras(keras, layers, tmp_path / "keras.keras")
    ours, theirs = _assets(tmp_path / "ours.keras"), _assets(tmp_path / "keras.keras")
    assert ours == theirs
    assert sorted(ours) == [
        "assets/layers/integer_lookup/vocabulary.txt",
        "assets/layers/string_lookup/vocabulary.txt",
        "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt",
        "assets/layers/text_vectorization/vocabulary.txt",
    ]
    assert ours["assets/layers/string_lookup/vocabulary.txt"] == b"\n[UNK]\nd\nz\nc\nb\na"
    ours_h5, theirs_h5 = _h5_tree(tmp_path / "ours.keras"), _h5_tree(tmp_path / "keras.keras")
    assert sorted(ours_h5) == sorted(theirs_h5)
    assert sorted(k for k, v in theirs_h5.items() if v is not None) == [
        "layers/integer_lookup/vars/idf_weights",
        "layers/text_vectorization/_lookup_layer/vars/idf_weights",
        "layers/text_vectorization/vars/idf_weights",
    ]
    for key, value in theirs_h5.items():
        if value is not None:
            assert ours_h5[key].dtype == value.dtype
            np.testing.assert_array_equal(ours_h5[key], value)


@pytest.mark.parity
def test_keras_written_assets_load_here_with_their_vocabularies(tmp_path):
    keras = keras_or_skip()
    layers = _ours()
    _save_ours(layers, tmp_path / "ours.keras")
    _save_keras(keras, layers, tmp_path / "keras.keras")
    # Keras's metadata, weights and assets with the config of the real layer classes
    _with_config(tmp_path / "keras.keras", tmp_path / "ours.keras", tmp_path / "mixed.keras")
    loaded = kt.saving.load_model(tmp_path / "mixed.keras").layers
    words, numbers, text, given = layers
    assert loaded[0].get_vocabulary() == words.get_vocabulary()
    assert loaded[0](WORDS).tolist() == words(WORDS).tolist()
    assert loaded[1].get_vocabulary() == numbers.get_vocabulary()
    np.testing.assert_array_equal(loaded[1]([[42, 7]]).numpy(), numbers([[42, 7]]).numpy())
    assert loaded[2].get_vocabulary() == text.get_vocabulary()
    np.testing.assert_array_equal(loaded[2](TEXTS).numpy(), text(TEXTS).numpy())
    assert loaded[3].get_vocabulary() == given.get_vocabulary()


@pytest.mark.parity
def test_our_assets_load_in_keras(tmp_path):
    keras = keras_or_skip()
    layers = _ours()
    _save_ours(layers, tmp_path / "ours.keras")
    classes, _ = _save_keras(keras, layers, tmp_path / "keras.keras")
    _with_config(tmp_path / "ours.keras", tmp_path / "keras.keras", tmp_path / "mixed.keras")
    custom = {cls.__name__: cls for cls in classes}
    loaded = keras.saving.load_model(tmp_path / "mixed.keras", custom_objects=custom).layers
    words, numbers, text, _ = layers
    assert loaded[0].vocab == words.get_vocabulary()
    assert loaded[1].vocab == [str(v) for v in numbers.get_vocabulary()]
    np.testing.assert_array_equal(loaded[1].idf, numbers.idf_weights.numpy())
    assert loaded[2]._lookup_layer.vocab == text.get_vocabulary()
    np.testing.assert_array_equal(loaded[2]._lookup_layer.idf, text._lookup_layer.idf_weights)
    assert loaded[3].vocab is None


def test_saved_model_reloads_adapted_vocabularies_and_outputs(tmp_path):
    layers = _ours()
    path = tmp_path / "m.keras"
    _save_ours(layers, path)
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]  # written atomically, no leftovers
    loaded = kt.saving.load_model(path).layers
    for ours, theirs in zip(layers, loaded, strict=True):
        assert theirs.get_vocabulary() == ours.get_vocabulary()
    np.testing.assert_array_equal(loaded[2](TEXTS).numpy(), layers[2](TEXTS).numpy())


def test_failing_asset_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"previous")
    layer = StringLookup()
    layer.adapt([["two\nlines"]])
    with pytest.raises(ValueError, match="line breaks"), pytest.warns(UserWarning, match="built"):
        kt.Sequential([layer]).save(path)
    assert path.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["m.keras"]


class _Notes:
    def __init__(self, text=""):
        self.text = text

    def save_assets(self, dir_path):
        os.makedirs(os.path.join(dir_path, "sub"))
        with open(os.path.join(dir_path, "sub", "notes.txt"), "w") as f:
            f.write(self.text)

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "sub", "notes.txt")) as f:
            self.text = f.read()


def test_store_paths_nested_folders_and_the_model_root():
    files = assets_store.save_assets([("", _Notes("root")), ("layers/a", _Notes("a")), ("x", 1)])
    assert files == {"assets/layers/a/sub/notes.txt": b"a", "assets/sub/notes.txt": b"root"}
    root, inner, missing = _Notes(), _Notes(), _Notes("kept")
    assets_store.load_assets([("", root), ("layers/a", inner), ("layers/b", missing)], files)
    assert (root.text, inner.text, missing.text) == ("root", "a", "kept")


def test_archive_without_assets_loads_nothing():
    notes = _Notes("kept")
    assets_store.load_assets([("", notes)], {})
    assert notes.text == "kept"


@pytest.mark.parametrize(
    "name", ["assets/../evil.txt", "assets/a/../../evil.txt", "assets//x", "assets/C:x"]
)
def test_members_leaving_the_assets_folder_are_refused(name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("assets/", "")
        archive.writestr(name, "x")
    with zipfile.ZipFile(buffer) as archive, pytest.raises(ValueError, match="outside"):
        assets_store.read_assets(archive, saving_lib._read_member)


def test_read_assets_keeps_only_asset_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps({}))
        archive.writestr("assets/", "")
        archive.writestr("assets/layers/s/vocabulary.txt", "[UNK]")
    with zipfile.ZipFile(buffer) as archive:
        files = assets_store.read_assets(archive, saving_lib._read_member)
    assert files == {"assets/layers/s/vocabulary.txt": b"[UNK]"}
