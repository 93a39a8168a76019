"""`model.export(path, format="torch")`: a `.pt2` program that runs without kerastorch."""

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import kerastorch as kt
from tests.oracle import assert_close, keras_or_skip


def _functional(lib):
    a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
    x = lib.layers.Concatenate()([lib.layers.Dense(5, activation="relu")(a), b])
    x = lib.layers.Dropout(0.5)(lib.layers.BatchNormalization()(x))
    return lib.Model([a, b], lib.layers.Dense(2)(x))


def test_pt2_loads_in_a_process_without_kerastorch(tmp_path):
    model = kt.Sequential([kt.Input((6,)), kt.layers.Dense(4, activation="tanh"),
                           kt.layers.Dropout(0.3), kt.layers.Dense(2)])  # fmt: skip
    path = str(tmp_path / "m.pt2")
    assert model.export(path, format="torch", verbose=False) == path
    x = np.random.default_rng(0).normal(size=(7, 6)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    script = (
        "import sys, numpy as np, torch\n"
        f"program = torch.export.load({path!r})\n"
        f"y = program.module()(torch.from_numpy(np.load({str(tmp_path / 'x.npy')!r})))\n"
        f"np.save({str(tmp_path / 'y.npy')!r}, y.detach().numpy())\n"
        "assert not any(m.startswith(('kerastorch', 'keras')) for m in sys.modules), 'imported'\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=tmp_path)
    assert_close(np.load(tmp_path / "y.npy"), model.predict(x, verbose=0))


def test_multi_input_program_has_a_free_batch_and_inference_mode(tmp_path):
    model = _functional(kt)
    model.export(tmp_path / "f.pt2", format="torch", verbose=False)
    program = torch.export.load(str(tmp_path / "f.pt2")).module()
    rng = np.random.default_rng(1)
    for batch in (3, 9):
        a, b = (torch.from_numpy(rng.normal(size=(batch, n)).astype("float32")) for n in (4, 3))
        assert_close(program([a, b]), model([a, b], training=False))
    model.train()
    model.export(tmp_path / "g.pt2", format="torch", verbose=False)
    assert model.training  # the export put the model back in its mode


@pytest.mark.parity
def test_program_equals_keras_exported_program(tmp_path):
    keras = keras_or_skip()
    theirs, ours = _functional(keras), _functional(kt)
    ours.set_weights(theirs.get_weights())
    theirs.export(str(tmp_path / "k.pt2"), format="torch", verbose=False)
    ours.export(str(tmp_path / "o.pt2"), format="torch", verbose=False)
    rng = np.random.default_rng(2)
    a, b = (torch.from_numpy(rng.normal(size=(1, n)).astype("float32")) for n in (4, 3))
    theirs_out = torch.export.load(str(tmp_path / "k.pt2")).module()([a, b])
    ours_out = torch.export.load(str(tmp_path / "o.pt2")).module()([a, b])
    assert_close(ours_out, theirs_out)


def test_export_errors_and_failed_export_keeps_old_file(tmp_path, capsys):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"must end with '\.pt2'"):
        model.export(tmp_path / "m.onnx", format="torch")
    with pytest.raises(ValueError, match="Unsupported arguments for `format='torch'`: bogus"):
        model.export(tmp_path / "m.pt2", format="torch", bogus=1)
    model.export(tmp_path / "m.pt2", format="torch")
    assert "Saved PyTorch ExportedProgram at" in capsys.readouterr().out
    before = (tmp_path / "m.pt2").read_bytes()

    class Branchy(kt.layers.Layer):
        def call(self, x):
            return x * 2 if float(x.sum()) > 0 else x

    broken = kt.Sequential([kt.Input((3,)), Branchy()])
    with pytest.raises(RuntimeError, match="Could not export model"):
        broken.export(tmp_path / "m.pt2", format="torch", verbose=False, strict=True)
    assert (tmp_path / "m.pt2").read_bytes() == before
    unbuilt = kt.Sequential([kt.layers.Dense(2)])
    with pytest.raises(ValueError, match="has no known inputs"):
        unbuilt.export(tmp_path / "u.pt2", format="torch")
    unbuilt.export(tmp_path / "u.pt2", format="torch", verbose=False,
                   input_signature=[kt.InputSpec(shape=(None, 5))])  # fmt: skip
    assert tuple(torch.export.load(str(tmp_path / "u.pt2")).module()(torch.ones(3, 5)).shape) == (
        3,
        2,
    )


@pytest.mark.parametrize("fmt", ["tf_saved_model", "litert", "openvino"])
def test_formats_that_need_other_runtimes_raise(tmp_path, fmt):
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2)])
    with pytest.raises(ValueError, match=f"format='{fmt}' needs .* format='torch'"):
        model.export(tmp_path / "m", format=fmt)
    with pytest.raises(ValueError, match="Unrecognized format='tflite'"):
        model.export(tmp_path / "m", format="tflite")
    with pytest.raises(ValueError, match="needs TensorFlow"):
        model.export(tmp_path / "m")  # Keras's default format
