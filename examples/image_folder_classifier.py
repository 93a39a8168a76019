"""Image classification from a folder of files: `image_dataset_from_directory` into `fit`.

The example first writes a small folder of PNG images in Keras's layout (one subfolder per
class), as a downloaded dataset would be, then trains a small convnet on it with a seeded
80/20 training/validation split, as Keras's "image classification from scratch" tutorial
does. Needs Pillow (`pip install pillow`). Run with `python examples/image_folder_classifier.py
[folder]`; without a folder it generates one in a temporary directory.
"""

import os
import sys
import tempfile

import numpy as np
from example_data import synthetic_images

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)


def write_image_folder(root: str, per_class: int = 60) -> None:
    """Write `root/<class>/<n>.png`: three classes of 32x32 colour images."""
    images, labels = synthetic_images(3 * per_class, (32, 32, 3), classes=3)
    for name in ("circles", "squares", "triangles"):
        os.makedirs(os.path.join(root, name), exist_ok=True)
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        name = ("circles", "squares", "triangles")[label]
        keras.utils.save_img(os.path.join(root, name, f"{i}.png"), image)


if len(sys.argv) > 1:
    data_dir = sys.argv[1]
else:
    data_dir = os.path.join(tempfile.mkdtemp(), "shapes")
    write_image_folder(data_dir)

image_size = (32, 32)
batch_size = 32
train_ds, val_ds = keras.utils.image_dataset_from_directory(
    data_dir,
    validation_split=0.2,
    subset="both",
    seed=1337,
    image_size=image_size,
    batch_size=batch_size,
)
print("Classes:", train_ds.class_names)

model = keras.Sequential(
    [
        keras.Input(shape=(*image_size, 3)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(len(train_ds.class_names), activation="softmax"),
    ]
)
model.summary()
model.compile(
    optimizer=keras.optimizers.Adam(1e-2),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_ds, epochs=8, validation_data=val_ds)
loss, accuracy = model.evaluate(val_ds, verbose=0)
print(f"Validation accuracy: {accuracy:.4f}")

images, labels = next(iter(val_ds))
predicted = np.argmax(model.predict(images, verbose=0), axis=1)
print("Predicted:", [train_ds.class_names[i] for i in predicted[:5]])
