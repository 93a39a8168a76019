"""`text_dataset_from_directory` on a temporary tree of `.txt` files.

Keras 3.15 reads texts with tf.data (not installed here): files, labels and subsets are
compared with Keras's own indexing code, errors with Keras itself, texts with the files.
"""

import pathlib

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.utils import text_dataset_from_directory
from tests.oracle import keras_or_skip

TEXTS = {"neg": ["awful film", "bad", "dull plot"], "pos": ["great", "loved it", "fine épée"]}


@pytest.fixture
def tree(tmp_path):
    for label, texts in TEXTS.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pos" / "skip.md").write_text("ignored")
    return str(tmp_path)


def test_texts_and_labels_in_sorted_order(tree, capsys):
    data = text_dataset_from_directory(tree, shuffle=False, batch_size=4)
    assert capsys.readouterr().out == "Found 6 files belonging to 2 classes.\n"
    texts, labels = zip(*data, strict=True)
    assert texts[0] == ("awful film", "bad", "dull plot", "great")
    assert texts[1] == ("loved it", "fine épée")
    assert torch.cat(labels).tolist() == [0, 0, 0, 1, 1, 1]
    assert labels[0].dtype == torch.int32
    assert data.class_names == ["neg", "pos"]


def test_max_length_label_modes_and_unbatched(tree):
    cut = text_dataset_from_directory(tree, shuffle=False, max_length=3, label_mode=None)
    assert next(iter(cut)) == ("awf", "bad", "dul", "gre", "lov", "fin")
    binary = next(iter(text_dataset_from_directory(tree, label_mode="binary", shuffle=False)))
    assert binary[1].shape == (6, 1)
    assert binary[1].dtype == torch.float32
    single = next(iter(text_dataset_from_directory(tree, batch_size=None, shuffle=False)))
    assert single[0] == "awful film"
    assert int(single[1]) == 0


@pytest.mark.parity
def test_both_subsets_match_keras_split(tree, capsys):
    keras_or_skip()
    from keras.src.utils import dataset_utils

    paths, _, _ = dataset_utils.index_directory(tree, "inferred", (".txt",), seed=5)
    capsys.readouterr()
    train, val = text_dataset_from_directory(tree, validation_split=0.5, subset="both", seed=5)
    assert train.file_paths == paths[:3]
    assert val.file_paths == paths[3:]
    assert sorted(t for batch in val for t in batch[0]) == sorted(
        pathlib.Path(p).read_text(encoding="utf-8") for p in paths[3:]
    )


def test_fit_with_text_vectorization(tree):
    data = text_dataset_from_directory(tree, batch_size=2, seed=1, verbose=False)
    vectorize = kerastorch.layers.TextVectorization(max_tokens=20, output_sequence_length=3)
    vectorize.adapt([t for batch in data for t in batch[0]])
    x = np.concatenate([vectorize(texts).numpy() for texts, _ in data])
    y = np.concatenate([labels.numpy() for _, labels in data])
    model = kerastorch.Sequential(
        [
            kerastorch.Input((3,), dtype="int64"),
            kerastorch.layers.Embedding(20, 4),
            kerastorch.layers.GlobalAveragePooling1D(),
            kerastorch.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    assert len(model.fit(x, y, epochs=2, verbose=0).history["loss"]) == 2


BAD = [
    {"labels": "folders"},
    {"label_mode": "sparse"},
    {"format": "xla"},
    {"validation_split": 0.5, "subset": "both"},
    {"labels": [0, 1, 0], "class_names": ["neg"]},
]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", BAD)
def test_argument_errors_match_keras(tree, kwargs, capsys):
    keras = keras_or_skip()
    with pytest.raises(ValueError) as theirs:
        keras.utils.text_dataset_from_directory(tree, **kwargs)
    with pytest.raises(ValueError) as ours:
        text_dataset_from_directory(tree, **kwargs)
    assert str(ours.value) == str(theirs.value)
