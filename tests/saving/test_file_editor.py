"""`KerasFileEditor`: reading, editing and writing weights files, checked against Keras's own
editor and against Keras loading the edited files."""

from __future__ import annotations

import os
import pathlib
import sys
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as kt
from kerastorch.saving.file_editor import KerasFileEditor
from tests.oracle import assert_close, keras_or_skip


def _model(k, extra=False, fit=False):
    inputs = k.Input((2,))
    x = k.layers.Dense(3, name="mydense")(inputs)
    if extra:
        x = k.layers.Dense(3, name="myotherdense")(x)
    model = k.Model(inputs, k.layers.Dense(3, name="output_layer")(x))
    if fit:
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.ones((4, 2)), np.ones((4, 3)), verbose=0)
    return model


def _h5_contents(path):
    found = {}
    with h5py.File(path, "r") as h5:
        h5.visititems(lambda name, obj: found.setdefault(name, obj[()]) if isinstance(
            obj, h5py.Dataset) else None)  # fmt: skip
    return found


def _output(capsys, action):
    capsys.readouterr()
    result = action()
    return result, capsys.readouterr().out


@pytest.mark.parity
def test_summary_and_compare_match_keras_editor(tmp_path, capsys):
    keras = keras_or_skip()
    from keras.src.saving.file_editor import KerasFileEditor as KerasEditor

    path = str(tmp_path / "m.keras")
    _model(keras, fit=True).save(path)
    theirs, their_text = _output(capsys, lambda: KerasEditor(path))
    ours, our_text = _output(capsys, lambda: KerasFileEditor(path))
    assert our_text == their_text
    assert ours.object_metadata == theirs.object_metadata
    assert ours.config == theirs.config
    assert ours.metadata == theirs.metadata
    assert _output(capsys, ours.summary)[1] == _output(capsys, theirs.summary)[1]
    references = [
        (_model(kt, fit=True), _model(keras, fit=True)),  # matching
        (_model(kt, extra=True), _model(keras, extra=True)),  # a layer more, no optimizer
        (_model(kt, extra=True, fit=True), _model(keras, extra=True, fit=True)),
    ]
    for edit in (lambda e: None, lambda e: e.add_object("layers/dense_3", {"0": np.ones((3, 3))})):
        edit(ours), edit(theirs)
        for our_ref, their_ref in references:
            our_result, our_text = _output(capsys, lambda r=our_ref: ours.compare(r))
            their_result, their_text = _output(capsys, lambda r=their_ref: theirs.compare(r))
            assert our_result == their_result
            assert our_text == their_text
    assert ours.compare(references[0][0])["status"] == "error"  # dense_3 is extra


@pytest.mark.parity
def test_edited_file_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    source = str(tmp_path / "source.weights.h5")
    _model(keras).save_weights(source)
    editor = KerasFileEditor(source)
    kernel, bias = np.full((3, 3), 0.5, "float32"), np.arange(3, dtype="float32")
    editor.add_object("layers/dense_3", weights={"0": kernel})
    editor.rename_object("dense_3", "dense_4")
    editor.rename_object("layers/dense_4", "dense_2")
    editor.add_weights("dense_2", weights={"1": bias, "2": bias})
    editor.delete_weight("layers/dense_2", "2")
    target_model = _model(keras, extra=True)
    assert editor.compare(_model(kt, extra=True))["status"] == "success"
    edited = str(tmp_path / "edited.weights.h5")
    editor.resave_weights(edited)
    target_model.load_weights(edited)
    assert_close(target_model.get_layer("output_layer").get_weights(), [kernel, bias])
    saved = editor.weights_dict["layers"]["dense"]
    assert_close(target_model.get_layer("mydense").get_weights(), [saved["0"], saved["1"]])

    model = _model(keras, fit=True)  # a .keras file: edited values, config and metadata kept
    model_path, edited_path = str(tmp_path / "m.keras"), str(tmp_path / "edited.keras")
    model.save(model_path)
    editor = KerasFileEditor(model_path)
    editor.delete_weight("dense_1", "1")
    editor.add_weights("dense_1", {"1": bias})
    editor.delete_object("optimizer")
    editor.save(edited_path)
    reloaded = keras.saving.load_model(edited_path, compile=False)
    assert_close(reloaded.get_layer("output_layer").get_weights()[1], bias)
    assert_close(reloaded.get_layer("mydense").get_weights(), model.get_layer("mydense").weights)
    assert KerasFileEditor(edited_path).metadata == editor.metadata
    ours = kt.saving.load_model(edited_path, compile=False)
    assert_close(ours.get_weights(), reloaded.get_weights())


@pytest.mark.parity
def test_same_edits_as_keras_editor_give_same_file(tmp_path):
    keras = keras_or_skip()
    from keras.src.saving.file_editor import KerasFileEditor as KerasEditor

    path = str(tmp_path / "m.keras")
    _model(keras, fit=True).save(path)
    results = []
    for name, editor_class in (("keras", KerasEditor), ("ours", KerasFileEditor)):
        editor = editor_class(path)
        editor.add_object("layers/dense_2", {"0": np.eye(3, dtype="float32")})
        editor.add_weights("layers/dense_2", {"1": np.ones(3, dtype="float32")})
        editor.rename_object("layers/dense_1", "dense_9")
        editor.delete_weight("optimizer", "9")
        editor.delete_object("layers/dense")
        editor.save(str(tmp_path / f"{name}.weights.h5"))
        results.append(_h5_contents(str(tmp_path / f"{name}.weights.h5")))
    assert sorted(results[0]) == sorted(results[1])
    for key, value in results[0].items():
        assert_close(results[1][key], value)
        assert np.asarray(results[1][key]).dtype == np.asarray(value).dtype


def test_kerastorch_file_round_trip_keeps_nested_objects(tmp_path, capsys):
    model = kt.Sequential([kt.Input((2, 3)), kt.layers.LSTM(2), kt.layers.Dense(1)])
    path, resaved = str(tmp_path / "l.weights.h5"), str(tmp_path / "r.weights.h5")
    model.save_weights(path)
    editor, _ = _output(capsys, lambda: KerasFileEditor(path))
    text = _output(capsys, editor.summary)[1]
    assert "cell" in text
    assert "0: shape=(3, 8), dtype=float32" in text  # the LSTM's cell kernel
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 8}
    editor.resave_weights(resaved)
    other = kt.Sequential([kt.Input((2, 3)), kt.layers.LSTM(2), kt.layers.Dense(1)])
    other.load_weights(resaved)
    assert_close(other.get_weights(), model.get_weights())


def test_scalar_weights_and_plain_text_without_rich(tmp_path, capsys, monkeypatch):
    model = _model(kt, fit=True)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    editor = KerasFileEditor(path)
    assert len(kt.tree.flatten(editor.weights_dict)) == 4 + 10  # 2 Dense + Adam
    assert editor.weights_dict["optimizer"]["0"].shape == ()
    with_rich = _output(capsys, editor.summary)[1]
    monkeypatch.setitem(sys.modules, "rich.console", None)  # `import rich.console` fails
    assert _output(capsys, editor.summary)[1] == with_rich
    result, text = _output(capsys, lambda: editor.compare(_model(kt, extra=True)))
    assert "[/]" not in text  # no rich markup
    assert "[color(160)]" not in text
    assert f"Found {result['error_count']} errors: saved file is not compatible" in text


def test_errors(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(2), kt.layers.Dense(2)])
    model.save_weights(path)
    with pytest.raises(ValueError, match=r"expected a `\.keras` `\.weights\.h5` extension"):
        KerasFileEditor(str(tmp_path / "m.h5"))
    editor = KerasFileEditor(path)
    editor.add_object("layers/dense_1/extra", {"0": np.ones(2)})
    cases = [
        (lambda: editor.rename_object("layers/dense_9", "x"), "Path 'layers/dense_9' not found"),
        (lambda: editor.rename_object("dense", "a/b"), "should be a leaf name"),
        (lambda: editor.delete_object("nothing"), "Source name 'nothing' does not appear"),
        (lambda: editor.delete_object("0"), "Name '0' occurs more than once"),
        (lambda: editor.add_object("missing/dense", {}), "Path 'missing' not found in model"),
        (lambda: editor.add_weights("dense", [np.ones(2)]), "should be a dict"),
        (lambda: editor.delete_weight("dense", "7"), r"Weight 7 not found .* \['0', '1'\]"),
        (lambda: editor.save(str(tmp_path / "x.keras")), "has none. Save to a `.weights.h5`"),
        (lambda: editor.save(str(tmp_path / "x.h5")), "expected a `.weights.h5` extension"),
        (lambda: editor.resave_weights(str(tmp_path / "x.keras")), "expected a `.weights.h5`"),
    ]
    for action, message in cases:
        with pytest.raises(ValueError, match=message):
            action()
    editor.delete_object("extra")  # unique below the root: a name is enough
    assert list(editor.weights_dict["layers"]["dense_1"]) == ["0", "1"]


def test_failed_save_leaves_previous_file(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    kt.Sequential([kt.Input((2,)), kt.layers.Dense(2)]).save_weights(path)
    before = pathlib.Path(path).read_bytes()
    editor = KerasFileEditor(path)
    editor.add_weights("dense", {"2": np.array([object()])})  # h5py cannot store objects
    with pytest.raises(TypeError):
        editor.save(path)
    assert pathlib.Path(path).read_bytes() == before
    assert os.listdir(tmp_path) == ["m.weights.h5"]


def test_rejects_links_and_virtual_datasets(tmp_path):
    victim = str(tmp_path / "victim.weights.h5")
    kt.Sequential([kt.Input((3,)), kt.layers.Dense(5)]).save_weights(victim)
    with h5py.File(tmp_path / "external.weights.h5", "w") as f:
        f["layers"] = h5py.ExternalLink(victim, "/layers")
    with h5py.File(tmp_path / "soft.weights.h5", "w") as f:
        f.create_group("real").create_dataset("inner", data=np.zeros((1,)))
        f["layers"] = h5py.SoftLink("/real")
    with h5py.File(tmp_path / "virtual.weights.h5", "w") as f:
        layout = h5py.VirtualLayout(shape=(5,), dtype="float32")
        layout[:] = h5py.VirtualSource(victim, "layers/dense/vars/1", shape=(5,))
        f.create_group("layers/dense/vars").create_virtual_dataset("0", layout)
    for name, message in [
        ("external", "ExternalLink"),
        ("soft", "SoftLink"),
        ("virtual", "virtual"),
    ]:
        with pytest.raises(ValueError, match=message):
            KerasFileEditor(str(tmp_path / f"{name}.weights.h5"))


def test_saved_keras_file_keeps_the_assets(tmp_path, capsys):
    space = kt.utils.FeatureSpace({"color": "string_categorical"})
    space.adapt({"color": ["b", "a", "b", "c"]})
    space.save(tmp_path / "fs.keras")
    KerasFileEditor(str(tmp_path / "fs.keras")).save(tmp_path / "edited.keras")
    with (
        zipfile.ZipFile(tmp_path / "fs.keras") as a,
        zipfile.ZipFile(tmp_path / "edited.keras") as b,
    ):
        assets = sorted(n for n in a.namelist() if n.startswith("assets/"))
        assert assets
        assert assets == sorted(n for n in b.namelist() if n.startswith("assets/"))
        assert all(a.read(n) == b.read(n) for n in assets)
    restored = kt.saving.load_model(tmp_path / "edited.keras")
    vocabulary = space.preprocessors["color"].get_vocabulary()
    assert restored.preprocessors["color"].get_vocabulary() == vocabulary
    capsys.readouterr()
