"""The benchmark workloads, each built three ways: hand-written torch, kerastorch, Keras 3.

Every builder returns `(run_epoch, steps_per_epoch)`: `run_epoch()` trains one epoch on
synthetic data (fixed seed, made on the fly: no download) and returns when the device is
idle. The data and models are the same across the three implementations.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from benchmarks.block_models import (
    SEQUENCE,
    VOCABULARY,
    TorchResNet,
    TorchTransformer,
    keras_resnet,
    keras_transformer,
)

# name: samples, batch size, validation split
SIZES = {"mlp": (6000, 128, 0.2), "cnn": (1536, 128, 0.1), "lstm": (1600, 32, 0.0),
         "tiny": (3200, 32, 0.0), "transformer": (512, 32, 0.0),
         "resnet": (512, 64, 0.0)}  # fmt: skip


def data(workload: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    n = SIZES[workload][0]
    if workload == "mlp":
        return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)
    if workload == "cnn":
        return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)
    if workload == "lstm":
        return rng.integers(1, 20000, (n, 80)), rng.integers(0, 2, n).astype("float32")
    if workload == "transformer":
        return rng.integers(0, VOCABULARY, (n, SEQUENCE)), rng.integers(0, 10, n)
    if workload == "resnet":
        return rng.random((n, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, n)
    return rng.normal(size=(n, 20)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


# -------------------------------------------------------------------------------------------
# Keras-style models, for kerastorch and Keras 3 (same code, `K` is the module)
# -------------------------------------------------------------------------------------------
def keras_model(K: Any, workload: str) -> Any:
    L = K.layers
    if workload in ("transformer", "resnet"):
        model = keras_transformer(K) if workload == "transformer" else keras_resnet(K)
        model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    elif workload == "mlp":
        model = K.Sequential(
            [
                K.Input((784,)),
                L.Dense(256, activation="sigmoid"),
                L.Dense(128, activation="relu"),
                L.Dense(10, activation="softmax"),
            ]
        )
        model.compile(
            optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    elif workload == "cnn":
        model = K.Sequential(
            [
                K.Input((28, 28, 1)),
                L.Conv2D(32, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Flatten(),
                L.Dropout(0.5),
                L.Dense(10, activation="softmax"),
            ]
        )
        model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    elif workload == "lstm":
        model = K.Sequential(
            [
                K.Input((80,), dtype="int32"),
                L.Embedding(20000, 64),
                L.LSTM(64),
                L.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    else:
        model = K.Sequential([K.Input((20,)), L.Dense(32, activation="relu"), L.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
    return model  # fmt: skip


def keras_runner(K: Any, workload: str, device: torch.device) -> tuple[Callable, int]:
    x, y = data(workload)
    n, batch, split = SIZES[workload]
    model = keras_model(K, workload)

    def run_epoch() -> None:
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, validation_split=split)
        _sync(device)

    return run_epoch, -(-int(n * (1 - split)) // batch)


# -------------------------------------------------------------------------------------------
# hand-written torch: the reference a PyTorch engineer would write
# -------------------------------------------------------------------------------------------
class _Cnn(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 32, 3), nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(1600, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(F.dropout(x.flatten(1), 0.5, self.training))


class _Lstm(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(20000, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.fc = nn.Linear(64, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h, _) = self.lstm(self.embedding(x))
        return self.fc(h[-1])


def torch_setup(workload: str, device: torch.device) -> tuple[Any, ...]:
    """`(model, optimizer, loss_fn, x, y)` of the hand-written loop, data on `device`."""
    x, y = data(workload)
    if workload == "mlp":
        model = nn.Sequential(
            nn.Linear(784, 256), nn.Sigmoid(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)
        )
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
        loss_fn, y_t = F.cross_entropy, torch.as_tensor(y)
    elif workload in ("cnn", "resnet"):
        model = _Cnn() if workload == "cnn" else TorchResNet()
        x = x.transpose(0, 3, 1, 2).copy()  # torch's own layout: NCHW
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn, y_t = F.cross_entropy, torch.as_tensor(y)
    elif workload == "lstm":
        model = _Lstm()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn, y_t = F.binary_cross_entropy_with_logits, torch.as_tensor(y)[:, None]
    elif workload == "transformer":
        model = TorchTransformer()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn, y_t = F.cross_entropy, torch.as_tensor(y)
    else:
        model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn, y_t = F.mse_loss, torch.as_tensor(y)  # fmt: skip
    model.to(device)
    return model, optimizer, loss_fn, torch.as_tensor(x).to(device), y_t.to(device)


def torch_runner(workload: str, device: torch.device) -> tuple[Callable, int]:
    n, batch, split = SIZES[workload]
    model, optimizer, loss_fn, x_t, y_t = torch_setup(workload, device)
    n_train = int(n * (1 - split))
    x_train, y_train, x_val, y_val = x_t[:n_train], y_t[:n_train], x_t[n_train:], y_t[n_train:]

    def run_epoch() -> None:
        model.train()
        total = torch.zeros((), device=device)
        perm = torch.randperm(n_train, device=device)
        for start in range(0, n_train, batch):
            index = perm[start : start + batch]
            xb, yb = x_train[index], y_train[index]
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.detach()
        if split:
            model.eval()
            with torch.no_grad():
                for start in range(0, len(x_val), batch):
                    total += loss_fn(
                        model(x_val[start : start + batch]), y_val[start : start + batch]
                    )
        float(total)  # the epoch's one synchronisation, as fit's logs
        _sync(device)

    return run_epoch, -(-n_train // batch)


def runner(impl: str, workload: str, device: torch.device) -> tuple[Callable, int]:
    if impl == "torch":
        return torch_runner(workload, device)
    if impl == "kerastorch":
        os.environ["KERASTORCH_DEVICE"] = str(device)
        import kerastorch

        return keras_runner(kerastorch, workload, device)
    os.environ["KERAS_BACKEND"] = "torch"
    import keras

    return keras_runner(keras, workload, device)
