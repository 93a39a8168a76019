"""`kerastorch run`: tf.keras 2.x programs and notebooks, unchanged, in a subprocess."""

import json
import os
import subprocess
import sys

import pytest

THREADS = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "KERASTORCH_DEVICE": "cpu"}

TUTORIAL = """
import sys
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.models import Model, Sequential
from tensorflow.keras.utils import to_categorical
from tensorflow.keras.preprocessing.sequence import pad_sequences

print("version", tf.__version__, "args", sys.argv[1:])
tf.random.set_seed(0)
np.random.seed(0)

# 1. MLP with to_categorical, RMSprop, TensorBoard + EarlyStopping, validation_split.
x = np.random.rand(256, 28, 28).astype("float32")
y = to_categorical(np.random.randint(0, 10, 256), 10)
mlp = Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(64, activation=tf.nn.relu),
    layers.Dropout(0.2),
    layers.Dense(10, activation=tf.nn.softmax),
])
mlp.summary()
mlp.compile(optimizer=keras.optimizers.RMSprop(), loss="categorical_crossentropy",
            metrics=["accuracy"])
history = mlp.fit(x, y, epochs=2, batch_size=64, validation_split=0.25, verbose=2,
                  callbacks=[keras.callbacks.TensorBoard(log_dir=sys.argv[1]),
                             keras.callbacks.EarlyStopping(patience=1)])
print("history", sorted(history.history))

# 2. Functional, two inputs and two outputs, Concatenate.
a = keras.Input(shape=(4,), dtype=tf.float32, name="a")
b = keras.Input(shape=(3,), name="b")
h = layers.Concatenate()([layers.Dense(8, activation="relu")(a), b])
two = Model([a, b], [layers.Dense(1, name="score")(h), layers.Dense(3, name="cls")(h)])
two.compile("adam", loss=["mse", "sparse_categorical_crossentropy"])
two.fit([np.ones((32, 4)), np.ones((32, 3))], [np.ones((32, 1)), np.zeros((32,))], verbose=0)
print("functional params", two.count_params())

# 3. A subclassed model.
class MyModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(16, activation="relu")
        self.d2 = layers.Dense(1)

    def call(self, inputs):
        return self.d2(self.d1(inputs))

sub = MyModel()
sub.compile(optimizer="sgd", loss="mse")
sub.fit(np.ones((16, 5)), np.ones((16, 1)), verbose=0)
print("subclassed", sub(tf.constant(np.ones((2, 5), "float32"))).numpy().shape)

# 4. A Conv2D CNN.
cnn = Sequential([
    layers.Conv2D(8, (3, 3), activation="relu", input_shape=(12, 12, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cnn.fit(np.random.rand(32, 12, 12, 1), np.random.randint(0, 10, 32), epochs=1, verbose=0)
print("cnn params", cnn.count_params())

# 5. Embedding + LSTM on padded sequences.
seqs = pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=5)
lstm = Sequential([layers.Embedding(10, 4), layers.LSTM(3), layers.Dense(1, activation="sigmoid")])
lstm.compile("adam", "binary_crossentropy")
lstm.fit(seqs, np.array([0, 1, 0]), verbose=0)
print("padded", seqs.tolist()[2])

# 6. A GradientTape custom loop.
optimizer = keras.optimizers.Adam(1e-2)
loss_fn = keras.losses.MeanSquaredError()
xs, ys = np.random.rand(32, 5).astype("float32"), np.random.rand(32, 1).astype("float32")
losses = []
for step in range(20):
    with tf.GradientTape() as tape:
        loss = loss_fn(ys, sub(xs, training=True))
    grads = tape.gradient(loss, sub.trainable_variables)
    optimizer.apply_gradients(zip(grads, sub.trainable_variables))
    losses.append(float(loss))
print("tape loss decreased", losses[-1] < losses[0])

# 7. A tf.data pipeline into fit.
ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256).batch(32).prefetch(tf.data.AUTOTUNE)
print("dataset", mlp.evaluate(ds, verbose=0)[1] >= 0)
print("gpus", len(tf.config.list_physical_devices("GPU")))
"""


def _run(tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "kerastorch", "run", str(path), *args],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
        env={**os.environ, **THREADS},
    )  # fmt: skip


@pytest.mark.slow
def test_run_tf_keras_tutorial_program_unchanged(tmp_path):
    result = _run(tmp_path, "tutorial.py", TUTORIAL, str(tmp_path / "logs"), "--flag")
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert f"version 2.16.1+kerastorch args ['{tmp_path / 'logs'}', '--flag']" in out
    assert "Total params: 50,890 (198.79 KB)" in out
    assert "history ['accuracy', 'loss', 'val_accuracy', 'val_loss']" in out
    assert "functional params 88" in out  # 40 + 12 + 36
    assert "subclassed (2, 1)" in out
    assert "cnn params 2090" in out  # 80 + 2010
    assert "padded [0, 0, 0, 0, 6]" in out
    assert "tape loss decreased True" in out
    assert "dataset True" in out
    assert os.path.isdir(tmp_path / "logs" / "train")


def test_run_unsupported_tf_name_is_a_clear_error_with_the_scripts_traceback(tmp_path):
    result = _run(tmp_path, "bad.py", "import tensorflow as tf\n\ntf.estimator.Estimator\n")
    assert result.returncode == 1
    assert "tf.estimator is not provided by kerastorch's TensorFlow stand-in" in result.stderr
    assert 'bad.py", line 3, in <module>' in result.stderr
    assert "runpy" not in result.stderr
    assert "kerastorch/" not in result.stderr


def test_run_passes_exit_codes_and_rejects_missing_files(tmp_path):
    assert _run(tmp_path, "exit.py", "import sys\nsys.exit(3)\n").returncode == 3
    missing = subprocess.run(
        [sys.executable, "-m", "kerastorch", "run", str(tmp_path / "nope.py")],
        capture_output=True, text=True, check=False, env={**os.environ, **THREADS},
    )  # fmt: skip
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_run_notebook_skips_magics_and_displays_last_values(tmp_path):
    cells = [
        {"cell_type": "markdown", "source": ["# A tutorial\n"]},
        {
            "cell_type": "code",
            "source": [
                "%matplotlib inline\n",
                "!pip install tensorflow\n",
                "import tensorflow as tf\n",
                "x = tf.constant([1, 2])\n",
                "tf.reduce_sum(x).numpy()",
            ],
        },
        {"cell_type": "code", "source": "%%time\nprint('never')\n"},
        {
            "cell_type": "code",
            "source": ["files = !ls\n", "y = x * 2\n", "print(y.tolist())\n", "None"],
        },
        {"cell_type": "code", "source": ["from tensorflow import keras\n", "keras.__name__"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    result = _run(tmp_path, "nb.ipynb", json.dumps(notebook))
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines == [
        "[kerastorch run] cell 1: skipped IPython line: %matplotlib inline",
        "[kerastorch run] cell 1: skipped IPython line: !pip install tensorflow",
        "array(3, dtype=int32)",
        "[kerastorch run] cell 2: skipped IPython line: %%time (whole cell)",
        "[kerastorch run] cell 3: skipped IPython line: files = !ls",
        "[2, 4]",
        "'kerastorch'",
    ]


def test_import_kerastorch_alone_leaves_tensorflow_alone():
    code = (
        "import sys, kerastorch\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules, len(sys.meta_path))\n"
        "import importlib.util\n"
        "print(importlib.util.find_spec('tensorflow') is None)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, **THREADS})  # fmt: skip
    assert result.stdout.split() == ["False", "False", result.stdout.split()[2], "True"]
