"""A training script that never mentions distribution; launched by `torchrun` in
`test_data_parallel.py`, its rank 1 raises at the end of the first epoch."""

import os

import numpy as np

import kerastorch as keras


class RaiseOnRank1(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0 and os.environ.get("RANK") == "1":
            raise RuntimeError("deliberate failure on rank 1")


def main() -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((16, 3), "float32"), np.ones((16, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=50, callbacks=[RaiseOnRank1()], verbose=0)


if __name__ == "__main__":
    main()
