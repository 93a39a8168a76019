"""Quickstart: the Keras tutorial MLP, trained on handwritten digits, as native PyTorch.

The data is scikit-learn's bundled digits set (1,797 images of 8x8 pixels): nothing is
downloaded. Run with `python examples/quickstart.py`.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)

# The data: 8x8 grey images with values 0..16, flattened to 64 features.
digits = load_digits()
x = digits.images.reshape(len(digits.images), -1).astype("float32") / 16.0
y = keras.utils.to_categorical(digits.target, 10)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.2, random_state=0, stratify=digits.target
)

# The tutorial's MLP, written exactly as in Keras.
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        layers.Dense(256, activation="sigmoid"),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.summary()

model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=60, validation_split=0.2)

loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test loss: {loss:.4f}")
print(f"Test accuracy: {accuracy:.4f}")

predictions = model.predict(x_test[:5], verbose=0)
print("Predicted digits:", np.argmax(predictions, axis=1), "true:", np.argmax(y_test[:5], axis=1))
if accuracy < 0.95:
    raise SystemExit(f"Test accuracy {accuracy:.4f} is below the expected 0.95")
