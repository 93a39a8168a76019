"""The classic Keras MNIST MLP: to_categorical, RMSprop, TensorBoard and EarlyStopping.

Run with `python examples/mnist_mlp.py`. It trains on MNIST when `mnist.npz` is in Keras's
cache (or with `KERASTORCH_EXAMPLE_DATA=real`, which downloads it), else on a small
synthetic set of the same shape (see `example_data.py`).
"""

import os
import tempfile

from example_data import synthetic_images, use_real_data

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)
real = use_real_data("mnist.npz")
batch_size = 128
num_classes = 10
epochs = 20 if real else 3

# The data, split between train and test sets.
if real:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
else:
    (x_train, y_train), (x_test, y_test) = (
        synthetic_images(2000, (28, 28)),
        synthetic_images(400, (28, 28), seed=1),
    )
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
print(x_train.shape[0], "train samples")
print(x_test.shape[0], "test samples")

# Convert class vectors to binary class matrices.
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()

model.compile(
    loss="categorical_crossentropy",
    optimizer=keras.optimizers.RMSprop(),
    metrics=["accuracy"],
)
log_dir = os.path.join(tempfile.gettempdir(), "kerastorch_mnist_mlp_logs")
callbacks = [
    keras.callbacks.TensorBoard(log_dir=log_dir),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=2),
]
history = model.fit(
    x_train,
    y_train,
    batch_size=batch_size,
    epochs=epochs,
    verbose=1,
    validation_split=0.1,
    callbacks=callbacks,
)
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
print("TensorBoard logs in", log_dir)
