"""`image_dataset_from_directory` on a temporary tree of small PNGs.

Keras 3.15 builds this dataset with tf.data (not installed here), so the comparison is in
parts: the files, labels and subsets against Keras's own indexing and splitting code, each
image's pixels against Keras's tf-free image loader (`_load_image_grain`: Pillow + `ops.image
.resize`), the argument errors against Keras itself (it validates before touching
TensorFlow), and the batches against Keras's documented dtypes and shapes.
"""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.utils import image_dataset_from_directory
from kerastorch.utils.image_dataset import load_image
from tests.oracle import assert_close, keras_or_skip, to_numpy

PIL = pytest.importorskip("PIL.Image")

# class -> [(file name, (height, width), PIL mode)]
TREE = {
    "cat": [("c1.png", (6, 8), "RGB"), ("c2.png", (8, 8), "L"), ("c10.png", (5, 9), "RGBA")],
    "dog": [("d1.png", (7, 4), "RGB"), ("d2.jpg", (6, 6), "RGB"), ("d3.bmp", (4, 5), "RGB")],
}


@pytest.fixture
def tree(tmp_path):
    rng = np.random.default_rng(0)
    for label, files in TREE.items():
        (tmp_path / label).mkdir()
        for name, (h, w), mode in files:
            channels = {"L": (), "RGB": (3,), "RGBA": (4,)}[mode]
            pixels = rng.integers(0, 256, size=(h, w, *channels), dtype="uint8")
            PIL.fromarray(pixels, mode).save(tmp_path / label / name)
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    return str(tmp_path)


LOADS = [
    ("bilinear", {"interpolation": "bilinear"}),
    ("nearest", {"interpolation": "nearest"}),
    ("bicubic", {"interpolation": "bicubic"}),
    ("crop", {"crop_to_aspect_ratio": True}),
    ("pad", {"pad_to_aspect_ratio": True}),
    ("grayscale", {"color_mode": "grayscale"}),
    ("rgba", {"color_mode": "rgba"}),
    ("channels_first", {"data_format": "channels_first"}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), LOADS, ids=[c[0] for c in LOADS])
def test_pixels_match_keras_loader(tree, name, kwargs):
    keras_or_skip()
    from keras.src.utils.image_dataset_utils import _load_image_grain

    options = {"color_mode": "rgb", "interpolation": "bilinear", "data_format": "channels_last"}
    options.update(kwargs)
    channels = {"grayscale": 1, "rgb": 3, "rgba": 4}[options["color_mode"]]
    for label, files in TREE.items():
        for file_name, _, _ in files:
            path = f"{tree}/{label}/{file_name}"
            ours = load_image(path, (5, 7), **options)
            theirs = _load_image_grain(
                path,
                (5, 7),
                channels,
                options["interpolation"],
                options["data_format"],
                options.get("crop_to_aspect_ratio", False),
                options.get("pad_to_aspect_ratio", False),
            )
            assert ours.dtype == torch.float32
            assert tuple(ours.shape) == tuple(theirs.shape)
            assert_close(ours, to_numpy(theirs), atol=1e-4, rtol=0)  # exact in practice


@pytest.mark.parity
@pytest.mark.parametrize("subset", ["training", "validation"])
def test_files_and_labels_match_keras_split(tree, subset, capsys):
    keras_or_skip()
    from keras.src.utils import dataset_utils

    paths, labels, names = dataset_utils.index_directory(
        tree, "inferred", (".png", ".jpg", ".bmp"), shuffle=True, seed=9
    )
    paths, labels = dataset_utils.get_training_or_validation_split(paths, labels, 0.34, subset)
    their_out = capsys.readouterr().out
    data = image_dataset_from_directory(
        tree,
        image_size=(4, 4),
        seed=9,
        shuffle=True,
        validation_split=0.34,
        subset=subset,
        batch_size=None,
    )
    assert capsys.readouterr().out == their_out
    assert data.file_paths == paths
    assert data.class_names == names
    assert [int(data.dataset[i][1]) for i in range(len(paths))] == list(labels)


def test_batches_and_label_modes(tree):
    ints = image_dataset_from_directory(tree, image_size=(4, 6), batch_size=4, shuffle=False)
    batches = list(ints)
    assert [len(b[1]) for b in batches] == [4, 2]
    images, labels = batches[0]
    assert isinstance(batches[0], tuple)
    assert images.shape == (4, 4, 6, 3)
    assert images.dtype == torch.float32
    assert labels.dtype == torch.int32
    assert labels.tolist() == [0, 0, 0, 1]
    assert float(images.min()) >= 0.0
    assert float(images.max()) <= 255.0
    assert ints.class_names == ["cat", "dog"]
    assert len(ints.file_paths) == 6
    one_hot = next(
        iter(
            image_dataset_from_directory(
                tree, label_mode="categorical", shuffle=False, image_size=(4, 4)
            )
        )
    )[1]
    assert one_hot.dtype == torch.float32
    assert one_hot.shape == (6, 2)
    binary = next(
        iter(image_dataset_from_directory(tree, label_mode="binary", shuffle=False, image_size=3))
    )
    assert binary[0].shape == (6, 3, 3, 3)
    assert binary[1].shape == (6, 1)
    only = next(iter(image_dataset_from_directory(tree, label_mode=None, image_size=(2, 2))))
    assert isinstance(only, torch.Tensor)
    assert only.shape == (6, 2, 2, 3)
    single = next(iter(image_dataset_from_directory(tree, batch_size=None, image_size=(2, 2))))
    assert single[0].shape == (2, 2, 3)
    assert single[1].shape == ()


def test_explicit_labels_and_class_names(tree):
    data = image_dataset_from_directory(
        tree, labels=[1, 0, 1, 0, 1, 0], shuffle=False, image_size=(2, 2)
    )
    assert data.class_names == ["0", "1"]
    assert next(iter(data))[1].tolist() == [1, 0, 1, 0, 1, 0]
    dogs = image_dataset_from_directory(tree, class_names=["dog"], image_size=(2, 2))
    assert dogs.class_names == ["dog"]
    assert len(dogs.file_paths) == 3


def test_both_subsets_are_disjoint_and_reproducible(tree, capsys):
    train, val = image_dataset_from_directory(
        tree, validation_split=0.5, subset="both", seed=3, image_size=(2, 2)
    )
    assert capsys.readouterr().out == (
        "Found 6 files belonging to 2 classes.\n"
        "Using 3 files for training.\nUsing 3 files for validation.\n"
    )
    assert not set(train.file_paths) & set(val.file_paths)
    assert len(set(train.file_paths) | set(val.file_paths)) == 6
    again, _ = image_dataset_from_directory(
        tree, validation_split=0.5, subset="both", seed=3, image_size=(2, 2), verbose=False
    )
    assert again.file_paths == train.file_paths
    first = [torch.cat([b[1] for b in train]).tolist() for _ in range(2)]
    second = [torch.cat([b[1] for b in again]).tolist() for _ in range(2)]
    assert first == second  # the same seeded shuffle at every epoch


def test_fit_evaluate_predict_and_plain_loop(tree):
    data = image_dataset_from_directory(
        tree, image_size=(8, 8), batch_size=3, seed=0, label_mode="categorical", verbose=False
    )
    model = kerastorch.Sequential(
        [
            kerastorch.Input((8, 8, 3)),
            kerastorch.layers.Rescaling(1 / 255),
            kerastorch.layers.Flatten(),
            kerastorch.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(data, validation_data=data, epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert len(model.evaluate(data, verbose=0)) == 2
    assert model.predict(data, verbose=0).shape == (6, 2)
    seen = 0
    for images, labels in data:  # a plain PyTorch loop
        loss = torch.nn.functional.cross_entropy(model(images), labels.argmax(-1))
        loss.backward()
        seen += len(images)
    assert seen == 6


def test_worker_processes(tree):
    data = image_dataset_from_directory(
        tree, image_size=(3, 3), shuffle=False, num_workers=1, verbose=False
    )
    serial = image_dataset_from_directory(tree, image_size=(3, 3), shuffle=False, verbose=False)
    np.testing.assert_array_equal(next(iter(data))[0].numpy(), next(iter(serial))[0].numpy())


BAD = [
    {"labels": "folders"},
    {"labels": [0, 1], "class_names": ["a"]},
    {"label_mode": "sparse"},
    {"color_mode": "cmyk"},
    {"image_size": (1, 2, 3)},
    {"interpolation": "cubic"},
    {"format": "xla"},
    {"validation_split": 1.5, "subset": "training", "seed": 1},
    {"validation_split": 0.2, "subset": "training"},
    {"label_mode": "binary", "class_names": ["cat"]},
]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", BAD)
def test_argument_errors_match_keras(tree, kwargs, capsys):
    keras = keras_or_skip()
    with pytest.raises(ValueError) as theirs:
        keras.utils.image_dataset_from_directory(tree, **kwargs)
    with pytest.raises(ValueError) as ours:
        image_dataset_from_directory(tree, **kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_empty_directory_error_matches_keras(tmp_path):
    keras = keras_or_skip()
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError) as theirs:
        keras.utils.image_dataset_from_directory(str(tmp_path))
    with pytest.raises(ValueError) as ours:
        image_dataset_from_directory(str(tmp_path))
    assert str(ours.value) == str(theirs.value)


def test_torch_only_interpolations_and_exclusive_fits(tree):
    with pytest.raises(ValueError, match="interpolation='lanczos3' needs TensorFlow"):
        image_dataset_from_directory(tree, interpolation="lanczos3")
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio`"):
        image_dataset_from_directory(tree, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
