"""The ported Keras tutorials run end to end, offline, on their synthetic data."""

import re
import sys
from pathlib import Path

import pytest

from tests.examples.test_quickstart import run_example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(name, tmp_path):
    env = {"KERASTORCH_EXAMPLE_DATA": "synthetic", "KERAS_HOME": str(tmp_path / "keras_home")}
    result = run_example(EXAMPLES / name, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _accuracy(pattern, stdout):
    return float(re.search(pattern, stdout).group(1))


@pytest.mark.slow
def test_mnist_mlp_trains_with_tensorboard_and_early_stopping(tmp_path):
    out = _run("mnist_mlp.py", tmp_path=tmp_path)
    assert "2000 train samples" in out
    assert "Total params: 669,706" in out
    assert "Epoch 3/3" in out
    assert _accuracy(r"Test accuracy: ([0-9.]+)", out) > 0.9


@pytest.mark.slow
def test_mnist_convnet_trains(tmp_path):
    out = _run("mnist_convnet.py", tmp_path=tmp_path)
    assert "x_train shape: (1000, 28, 28, 1)" in out
    assert "Total params: 34,826" in out
    assert _accuracy(r"Test accuracy: ([0-9.]+)", out) > 0.5


@pytest.mark.slow
def test_imdb_lstm_pads_and_trains(tmp_path):
    out = _run("imdb_lstm.py", tmp_path=tmp_path)
    assert "x_train shape: (800, 80)" in out
    assert _accuracy(r"Test accuracy: ([0-9.]+)", out) > 0.6


@pytest.mark.slow
def test_functional_multi_io_trains_and_predicts_named_outputs(tmp_path):
    out = _run("functional_multi_io.py", tmp_path=tmp_path)
    assert "Epoch 2/2" in out
    assert "priority: (4, 1) department: (4, 4)" in out


@pytest.mark.slow
def test_image_folder_classifier_reads_the_folder_it_writes(tmp_path):
    pytest.importorskip("PIL")
    out = _run("image_folder_classifier.py", tmp_path=tmp_path)
    assert "Found 180 files belonging to 3 classes." in out
    assert "Classes: ['circles', 'squares', 'triangles']" in out
    assert _accuracy(r"Validation accuracy: ([0-9.]+)", out) > 0.5


def test_example_data_choice_is_checked(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    sys.modules.pop("example_data", None)
    import example_data

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("KERASTORCH_EXAMPLE_DATA", raising=False)
    assert not example_data.use_real_data("mnist.npz")
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"")
    assert example_data.use_real_data("mnist.npz")
    monkeypatch.setenv("KERASTORCH_EXAMPLE_DATA", "synthetic")
    assert not example_data.use_real_data("mnist.npz")
    monkeypatch.setenv("KERASTORCH_EXAMPLE_DATA", "fake")
    with pytest.raises(ValueError, match="KERASTORCH_EXAMPLE_DATA"):
        example_data.use_real_data("mnist.npz")
