"""Keras's "Simple MNIST convnet" example: two Conv2D blocks, dropout, softmax.

Run with `python examples/mnist_convnet.py`. It trains on MNIST when `mnist.npz` is in
Keras's cache (or with `KERASTORCH_EXAMPLE_DATA=real`), else on a small synthetic set.
"""

import numpy as np
from example_data import synthetic_images, use_real_data

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)
real = use_real_data("mnist.npz")

# Model / data parameters
num_classes = 10
input_shape = (28, 28, 1)

if real:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
else:
    (x_train, y_train), (x_test, y_test) = (
        synthetic_images(1000, (28, 28)),
        synthetic_images(200, (28, 28), seed=1),
    )

# Scale images to the [0, 1] range and make sure they have shape (28, 28, 1).
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
print("x_train shape:", x_train.shape)
print(x_train.shape[0], "train samples")
print(x_test.shape[0], "test samples")

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()

batch_size = 128
epochs = 15 if real else 2
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1)

score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
