"""CUDA checks of the training loop (marker `gpu`: skipped where torch sees no CUDA device)."""

import numpy as np
import pytest
import torch

import kerastorch as kt


def _model(loss: str = "sparse_categorical_crossentropy") -> kt.Model:
    model = kt.Sequential([
        kt.Input((20,)),
        kt.layers.Dense(32, activation="relu"),
        kt.layers.Dense(4, activation="softmax"),
    ])  # fmt: skip
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def _data(n: int = 256) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 20)).astype("float32"), rng.integers(0, 4, n)


@pytest.mark.gpu
def test_gpu_train_steps_make_no_host_synchronisation():
    model = _model()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)  # builds on the device
    assert model.layers[0].kernel.tensor.device.type == "cuda"
    xs, ys = torch.as_tensor(x, device="cuda"), torch.as_tensor(y, device="cuda")
    batches = [(xs[i : i + 32], ys[i : i + 32]) for i in range(0, 256, 32)]
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for batch in batches:
            model.train_step(batch)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    torch.cuda.synchronize()


@pytest.mark.gpu
def test_gpu_fit_matches_cpu_numbers():
    x, y = _data()
    initial = _model()
    initial.build((None, 20))
    kt.backend.set_device("cpu")
    try:
        on_cpu = _model()
        on_cpu.set_weights(initial.get_weights())
        history_cpu = on_cpu.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    finally:
        kt.backend.set_device(None)
    on_gpu = _model()
    on_gpu.set_weights(initial.get_weights())
    history_gpu = on_gpu.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    assert on_gpu.layers[0].kernel.tensor.device.type == "cuda"
    np.testing.assert_allclose(history_gpu.history["loss"], history_cpu.history["loss"], rtol=1e-4)


@pytest.mark.gpu
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_gpu_mixed_precision_trains_with_float32_weights(policy):
    kt.mixed_precision.set_global_policy(policy)
    try:
        model = _model()
        x, y = _data()
        history = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    finally:
        kt.mixed_precision.set_global_policy("float32")
    assert np.isfinite(history.history["loss"]).all()
    assert all(w.dtype == "float32" for w in model.weights)
