"""File indexing and splitting of the `*_dataset_from_directory` builders, against Keras.

Keras's `index_directory`, `get_training_or_validation_split` and
`check_validation_split_arg` are plain Python, so they run here as the oracle.
"""

import os

import numpy as np
import pytest
import torch

from kerastorch.utils.folder_dataset import (
    check_label_args,
    check_validation_split_arg,
    encode_labels,
    index_directory,
    split_subset,
)
from tests.oracle import keras_or_skip

FILES = [
    "b/x2.txt",
    "b/x10.txt",
    "a/z.txt",
    "a/sub/y.TXT",
    "a/skip.png",
    "c/c1.txt",
    ".hidden/h.txt",
    "top.txt",
    "b/a.txt",
]


@pytest.fixture
def tree(tmp_path):
    for name in FILES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    return str(tmp_path)


def _keras_index(keras, *args, **kwargs):
    from keras.src.utils import dataset_utils

    return dataset_utils.index_directory(*args, **kwargs)


INDEX_CASES = [
    ("sorted", {"labels": "inferred", "shuffle": False}),
    ("shuffled", {"labels": "inferred", "shuffle": True, "seed": 11}),
    ("class_names", {"labels": "inferred", "class_names": ["c", "a"], "shuffle": False}),
    ("no_labels", {"labels": None, "shuffle": True, "seed": 2}),
    ("label_list", {"labels": [1, 0, 1, 0, 2, 0, 1, 1], "shuffle": True, "seed": 4}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), INDEX_CASES, ids=[c[0] for c in INDEX_CASES])
def test_index_directory_matches_keras(tree, name, kwargs, capsys):
    keras = keras_or_skip()
    copy = {k: list(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    theirs = _keras_index(keras, tree, formats=(".txt",), **copy)  # shuffles `labels` in place
    their_out = capsys.readouterr().out
    ours = index_directory(tree, formats=(".txt",), **kwargs)
    assert capsys.readouterr().out == their_out
    assert ours[0] == theirs[0]
    assert ours[2] == theirs[2]
    if theirs[1] is None:
        assert ours[1] is None
    else:
        np.testing.assert_array_equal(ours[1], np.asarray(theirs[1]))


@pytest.mark.parity
@pytest.mark.parametrize("subset", ["training", "validation"])
def test_split_subset_matches_keras(subset, capsys):
    keras_or_skip()
    from keras.src.utils import dataset_utils

    paths, labels = [f"f{i}" for i in range(10)], np.arange(10, dtype="int32")
    theirs = dataset_utils.get_training_or_validation_split(paths, labels, 0.3, subset)
    their_out = capsys.readouterr().out
    ours = split_subset(paths, labels, 0.3, subset)
    assert capsys.readouterr().out == their_out
    assert ours[0] == theirs[0]
    np.testing.assert_array_equal(ours[1], theirs[1])


BAD_SPLITS = [
    (1.5, "training", True, 1),
    (0.2, None, True, 1),
    (None, "training", True, 1),
    (0.2, "testing", True, 1),
    (0.2, "training", True, None),
]


@pytest.mark.parity
@pytest.mark.parametrize("args", BAD_SPLITS)
def test_validation_split_errors_match_keras(args):
    keras_or_skip()
    from keras.src.utils import dataset_utils

    with pytest.raises(ValueError) as theirs:
        dataset_utils.check_validation_split_arg(*args)
    with pytest.raises(ValueError) as ours:
        check_validation_split_arg(*args)
    assert str(ours.value) == str(theirs.value)


def test_index_errors(tree):
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        index_directory(tree, "inferred", (".txt",), class_names=["a", "nope"])
    with pytest.raises(ValueError, match="Expected the lengths of `labels` to match"):
        index_directory(tree, [0, 1], (".txt",))
    with pytest.raises(ValueError, match="argument `class_names` cannot be specified"):
        index_directory(tree, None, (".txt",), class_names=["a"])


def test_follow_links(tree, capsys):
    os.symlink(os.path.join(tree, "c"), os.path.join(tree, "a", "link"))
    plain = index_directory(tree, "inferred", (".txt",), shuffle=False)[0]
    linked = index_directory(tree, "inferred", (".txt",), shuffle=False, follow_links=True)[0]
    assert os.path.join(tree, "a", "link", "c1.txt") in set(linked) - set(plain)


def test_label_checks():
    with pytest.raises(ValueError, match="should be a list/tuple of integer labels"):
        check_label_args("folders", "int", None, "image files", "images")
    with pytest.raises(ValueError, match='You can only pass `class_names` if `labels="inferred"`'):
        check_label_args([0], "int", ["a"], "image files", "images")
    with pytest.raises(ValueError, match="`label_mode` argument must be one of"):
        check_label_args("inferred", "sparse", None, "image files", "images")


def test_encode_labels():
    labels = np.array([0, 2, 1], dtype="int32")
    assert encode_labels(labels, "int", 3).dtype == torch.int32
    assert encode_labels(labels, None, 3) is None
    binary = encode_labels(np.array([0, 1]), "binary", 2)
    assert binary.dtype == torch.float32
    assert binary.tolist() == [[0.0], [1.0]]
    one_hot = encode_labels(labels, "categorical", 3)
    assert one_hot.dtype == torch.float32
    assert one_hot.argmax(-1).tolist() == [0, 2, 1]
