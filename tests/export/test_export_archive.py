"""`ExportArchive(format="torch")`: several endpoints, one `.pt2` program each."""

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.export import ExportArchive
from tests.oracle import assert_close


def _model():
    return kt.Sequential([kt.Input((3,)), kt.layers.Dense(4), kt.layers.Dropout(0.5),
                          kt.layers.Dense(2)])  # fmt: skip


def test_endpoints_written_as_programs_with_their_own_modes(tmp_path):
    model = _model()
    archive = ExportArchive(format="torch")
    archive.track(model)
    spec = [kt.InputSpec(shape=(None, 3))]
    archive.add_endpoint("serve", lambda x: model(x, training=False), input_signature=spec)
    archive.add_endpoint("features", lambda x: model.layers[0](x), input_signature=spec)
    archive.add_variable_collection("dense_weights", model.layers[0].weights)
    archive.write_out(str(tmp_path / "art"), verbose=False)
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(5, 3)).astype("float32"))
    serve = torch.export.load(str(tmp_path / "art" / "serve.pt2")).module()
    features = torch.export.load(str(tmp_path / "art" / "features.pt2")).module()
    assert_close(serve(x), model(x, training=False))
    assert_close(features(x), model.layers[0](x))
    saved = torch.load(str(tmp_path / "art" / "variable_collections.pt"))
    assert_close(saved["dense_weights"], [w.numpy() for w in model.layers[0].weights])


def test_track_and_add_endpoint_and_rewrite_replaces_folder(tmp_path):
    model = _model()
    archive = ExportArchive(format="torch")
    archive.track_and_add_endpoint("call", model, [kt.Input((3,))])
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "stale.txt").write_text("old")
    archive.write_out(tmp_path / "art", verbose=False)
    assert sorted(p.name for p in (tmp_path / "art").iterdir()) == ["call.pt2"]


def test_archive_errors(tmp_path):
    with pytest.raises(ValueError, match="needs TensorFlow to write"):
        ExportArchive()
    archive = ExportArchive(format="torch")
    with pytest.raises(ValueError, match="No endpoints have been set yet"):
        archive.write_out(tmp_path / "a")
    with pytest.raises(ValueError, match="takes a kerastorch layer or model"):
        archive.track("model")
    with pytest.raises(ValueError, match="needs `input_signature`"):
        archive.add_endpoint("serve", lambda x: x)
    archive.add_endpoint("serve", lambda x: x, input_signature=[kt.InputSpec(shape=(None, 2))])
    with pytest.raises(ValueError, match="Endpoint name 'serve' is already taken"):
        archive.add_endpoint("serve", lambda x: x, input_signature=[kt.InputSpec(shape=(2,))])
    with pytest.raises(ValueError, match="must have a shape"):
        archive.add_endpoint("other", lambda x: x, input_signature=["x"])
    with pytest.raises(ValueError, match="takes Variables or tensors"):
        archive.add_variable_collection("c", ["x"])
    with pytest.raises(ValueError, match="SavedModel options"):
        archive.write_out(tmp_path / "a", options={})
    assert not (tmp_path / "a").exists()
