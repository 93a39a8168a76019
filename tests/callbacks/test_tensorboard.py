import glob
import json
import os

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import kerastorch as kt


def _model():
    model = kt.Sequential(
        [kt.Input((4,)), kt.layers.Dense(3, activation="relu"), kt.layers.Dense(1)]
    )
    model.compile(optimizer=kt.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _fit(model, callbacks, epochs=3):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = x[:, :1] - x[:, 1:2]
    return model.fit(
        x, y, validation_split=0.25, epochs=epochs, batch_size=10, shuffle=False, verbose=0,
        callbacks=callbacks,
    )  # fmt: skip


def _events(run_dir):
    accumulator = EventAccumulator(
        str(run_dir), size_guidance={"scalars": 0, "tensors": 0, "histograms": 0, "images": 0}
    )
    accumulator.Reload()
    return accumulator


def _scalars(events, tag):
    return [(e.step, e.value) for e in events.Scalars(tag)]


def test_tensorboard_epoch_scalars_equal_the_history(tmp_path):
    history = _fit(_model(), [kt.callbacks.TensorBoard(log_dir=tmp_path)])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, validation = _events(tmp_path / "train"), _events(tmp_path / "validation")
    assert set(train.Tags()["scalars"]) == {"epoch_loss", "epoch_mae", "epoch_learning_rate"}
    for name in ("loss", "mae"):
        steps, values = zip(*_scalars(train, f"epoch_{name}"), strict=True)
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history.history[name], rtol=1e-6)
        steps, values = zip(*_scalars(validation, f"epoch_{name}"), strict=True)
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history.history[f"val_{name}"], rtol=1e-6)
    assert [v for _, v in _scalars(train, "epoch_learning_rate")] == pytest.approx([0.05] * 3)
    # evaluation_<name>_vs_iterations: step = optimizer iterations (3 batches per epoch).
    evaluation = _scalars(validation, "evaluation_loss_vs_iterations")
    assert [step for step, _ in evaluation] == [3, 6, 9]
    np.testing.assert_allclose([v for _, v in evaluation], history.history["val_loss"], rtol=1e-6)


def test_tensorboard_batch_scalars_every_update_freq_batches(tmp_path):
    batch_losses = []
    record = kt.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_losses.append(logs["loss"])
    )
    _fit(_model(), [record, kt.callbacks.TensorBoard(log_dir=tmp_path, update_freq=2)])
    train = _events(tmp_path / "train")
    written = _scalars(train, "batch_loss")
    assert [step for step, _ in written] == [2, 4, 6, 8]  # global batches, 1-based
    np.testing.assert_allclose(
        [v for _, v in written], [batch_losses[s - 1] for s, _ in written], rtol=1e-6
    )
    assert "batch_mae" in train.Tags()["scalars"]
    tb_every_batch = kt.callbacks.TensorBoard(log_dir=tmp_path / "b", update_freq="batch")
    _fit(_model(), [tb_every_batch], epochs=1)
    assert len(_scalars(_events(tmp_path / "b" / "train"), "batch_loss")) == 3


def test_tensorboard_histograms_images_and_model_config(tmp_path):
    tensorboard = kt.callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=2, write_images=True)
    model = _model()
    _fit(model, [tensorboard])
    train = _events(tmp_path / "train")
    paths = [w.path for layer in model.layers for w in layer.weights]
    assert sorted(train.Tags()["histograms"]) == sorted(f"{p}/histogram" for p in paths)
    # Keras's tags: the weight's path (the Sequential's name scope, the layer, the weight).
    assert [e.step for e in train.Histograms("sequential/dense/kernel/histogram")] == [0, 2]
    kernel = model.layers[0].weights[0].numpy()
    last = train.Histograms("sequential/dense/kernel/histogram")[-1].histogram_value
    assert (last.min, last.max, last.num) == pytest.approx(
        (kernel.min(), kernel.max(), kernel.size)
    )
    drawable = [
        w.path for layer in model.layers for w in layer.weights if np.squeeze(w.numpy()).ndim
    ]
    assert sorted(train.Tags()["images"]) == sorted(f"{p}/image" for p in drawable)
    assert "dense_1/bias" not in drawable  # a scalar is not drawn, as in Keras
    # The model's config under the `keras` tag, as Keras writes it (graph dashboard).
    (event,) = train.Tensors("keras")
    config = json.loads(event.tensor_proto.string_val[0])
    assert config["class_name"] == "Sequential"
    assert train.summary_metadata["keras"].plugin_data.plugin_name == "graph_keras_model"


def test_tensorboard_profile_batch_writes_a_torch_trace(tmp_path):
    _fit(_model(), [kt.callbacks.TensorBoard(log_dir=tmp_path, profile_batch=(2, 3))], epochs=2)
    traces = glob.glob(str(tmp_path / "train" / "*.pt.trace.json"))
    assert len(traces) == 1
    with open(traces[0]) as f:
        names = {event.get("name") for event in json.load(f)["traceEvents"]}
    assert {"batch_1", "batch_2"} <= names  # batches 2 and 3 of the fit (1-based, global)


@pytest.mark.parametrize("profile_batch", [-1, "3,1", (1, 2, 3), "x"])
def test_tensorboard_bad_profile_batch_raises(profile_batch):
    with pytest.raises(ValueError, match="profile_batch must be a non-negative integer or 2-tuple"):
        kt.callbacks.TensorBoard(profile_batch=profile_batch)


def test_tensorboard_unwritable_log_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(OSError, match="TensorBoard could not create its log directory"):
        _fit(_model(), [kt.callbacks.TensorBoard(log_dir=blocker / "logs")], epochs=1)


class _ExplodingLogs(dict):
    def __len__(self):
        raise AssertionError("batch logs were read")

    items = keys = __iter__ = __getitem__ = get = __len__


def test_tensorboard_epoch_frequency_never_reads_batch_logs(tmp_path):
    tensorboard = kt.callbacks.TensorBoard(log_dir=tmp_path, write_graph=False)
    tensorboard.set_model(_model())
    tensorboard.on_train_begin()
    for batch in range(3):
        tensorboard.on_train_batch_begin(batch)
        tensorboard.on_train_batch_end(batch, _ExplodingLogs())
    tensorboard.on_train_end()
    assert tensorboard._global_train_batch == 3
    assert os.listdir(tmp_path) == []  # nothing written, no writer created


def test_tensorboard_embeddings_write_the_projector_config_and_weights(tmp_path):
    model = kt.Sequential(
        [
            kt.Input((3,), dtype="int32"),
            kt.layers.Embedding(10, 2, name="emb"),
            kt.layers.Flatten(),
            kt.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    tensorboard = kt.callbacks.TensorBoard(
        log_dir=tmp_path, embeddings_freq=1, embeddings_metadata={"emb": "meta.tsv"}
    )
    x = np.random.default_rng(0).integers(0, 10, size=(8, 3))
    model.fit(x, np.ones((8, 1)), epochs=2, verbose=0, callbacks=[tensorboard])
    config = (tmp_path / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"' in config
    assert 'metadata_path: "meta.tsv"' in config
    saved = sorted(f for f in os.listdir(tmp_path / "train") if f.endswith(".weights.h5"))
    assert saved == ["keras_embedding.ckpt-0.weights.h5", "keras_embedding.ckpt-1.weights.h5"]
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        kt.callbacks.TensorBoard(
            log_dir=tmp_path / "b", embeddings_freq=1, embeddings_metadata={"x": "m"}
        ).set_model(model)
