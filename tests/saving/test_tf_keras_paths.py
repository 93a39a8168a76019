"""tf.keras 2.x saving idioms: checkpoint paths (`cp.ckpt`), SavedModel paths, removed methods."""

import os

import numpy as np
import pytest

import kerastorch as keras


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


def test_model_checkpoint_to_ckpt_paths_and_load_weights(tmp_path):
    model = _model()
    path = str(tmp_path / "training_2" / "cp-{epoch:04d}.ckpt")
    checkpoint = keras.callbacks.ModelCheckpoint(path, save_weights_only=True)
    model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=2, verbose=0, callbacks=[checkpoint])
    assert sorted(os.listdir(tmp_path / "training_2")) == ["cp-0001.ckpt", "cp-0002.ckpt"]
    fresh = _model()
    fresh.load_weights(str(tmp_path / "training_2" / "cp-0002.ckpt"))
    for a, b in zip(fresh.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_save_weights_to_extensionless_checkpoint_round_trips(tmp_path):
    model = _model()
    model.save_weights(str(tmp_path / "my_checkpoint"))
    fresh = _model()
    fresh.load_weights(str(tmp_path / "my_checkpoint"))
    np.testing.assert_array_equal(fresh.get_weights()[0], model.get_weights()[0])


def test_tensorflow_checkpoints_and_missing_files_are_clear_errors(tmp_path):
    (tmp_path / "cp.ckpt.index").write_bytes(b"")
    with pytest.raises(ValueError, match=r"TensorFlow checkpoint written by tf\.keras"):
        _model().load_weights(str(tmp_path / "cp.ckpt"))
    with pytest.raises(FileNotFoundError, match="No weights file"):
        _model().load_weights(str(tmp_path / "other.ckpt"))
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        _model().save_weights(str(tmp_path / "weights.txt"))


def test_save_to_a_savedmodel_directory_names_the_alternative(tmp_path):
    with pytest.raises(ValueError, match="TensorFlow SavedModel directory"):
        _model().save(str(tmp_path / "saved_model"))


@pytest.mark.parametrize(
    ("method", "replacement"),
    [("predict_classes", r"np\.argmax"), ("predict_proba", r"model\.predict")],
)
def test_removed_predict_methods_name_their_replacement(method, replacement):
    with pytest.raises(AttributeError, match=replacement):
        getattr(_model(), method)(np.ones((1, 3)))
