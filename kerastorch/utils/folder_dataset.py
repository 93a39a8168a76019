"""The file indexing and splitting shared by the `*_dataset_from_directory` builders.

Keras's rules, reproduced: class folders are the sorted non-hidden subfolders (or
`class_names`, in the given order); files are listed folder by folder, each walked in
sorted order; with `shuffle`, paths and labels are shuffled with
`np.random.RandomState(seed)`, then the last `int(validation_split * n)` files form the
validation subset, so the same seed puts the same files in each subset as in Keras.

Example:
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> for name in ("b/2.txt", "a/1.txt", "b/1.txt"):
    ...     os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
    ...     open(os.path.join(root, name), "w").close()
    >>> paths, labels, names = index_directory(root, "inferred", (".txt",), shuffle=False)
    Found 3 files belonging to 2 classes.
    >>> [os.path.relpath(p, root) for p in paths], labels.tolist(), names
    (['a/1.txt', 'b/1.txt', 'b/2.txt'], [0, 1, 1], ['a', 'b'])
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from kerastorch.utils.batch_loader import BatchLoader

LABEL_MODES = ("int", "categorical", "binary", None)


def check_label_args(
    labels: Any, label_mode: Any, class_names: Any, files: str, samples: str, lead: str = ""
) -> None:
    """Keras's checks of `labels`, `label_mode`, `class_names` (e.g. "image files", "images").

    `lead` starts the `labels` message ("The " for audio, as in Keras).
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                f"{lead}`labels` argument should be a list/tuple of integer labels, of the same "
                f"size as the number of {files} in the target directory. If you wish to infer the "
                "labels from the subdirectory names in the target directory, pass "
                '`labels="inferred"`. If you wish to get a dataset that only contains '
                f"{samples} (no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels}, and class_names={class_names}"
            )
    if label_mode not in LABEL_MODES:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode}"
        )


def check_validation_split_arg(
    validation_split: float | None, subset: str | None, shuffle: bool, seed: int | None
) -> None:
    """Keras's checks of `validation_split`, `subset`, `shuffle` and `seed` together."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def _class_folders(directory: str, class_names: list[str] | None) -> list[str]:
    folders = [
        name
        for name in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
    ]
    if class_names is None:
        return folders
    if not set(class_names).issubset(folders):
        raise ValueError(
            "The `class_names` passed did not match the names of the subdirectories of the "
            f"target directory. Expected: {folders} (or a subset of it), but received: "
            f"class_names={class_names}"
        )
    return list(class_names)


def _files_under(folder: str, formats: tuple[str, ...], follow_links: bool) -> list[str]:
    """The files of `folder` (walked recursively, each level sorted) with an allowed suffix."""
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda w: w[0]):
        found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(formats)]
    return found


def index_directory(
    directory: str,
    labels: Any,
    formats: tuple[str, ...],
    class_names: list[str] | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> tuple[list[str], Any, list[str] | None]:
    """The files of `directory`, their integer labels and the class names, as Keras lists them.

    Args:
        directory: the root folder (one subfolder per class when `labels="inferred"`).
        labels: `"inferred"`, None, or a list of integer labels in sorted file order.
        formats: the allowed file suffixes, lowercase (e.g. `(".png", ".jpg")`).
        class_names: with inferred labels, the class folders to use, in label order.
        shuffle: shuffle paths and labels with `np.random.RandomState(seed)`.
        seed: the shuffling seed.
        follow_links: descend into symlinked folders.
        verbose: print "Found N files belonging to K classes.".

    Returns:
        `(file_paths, labels, class_names)`: labels an int32 array (or None).
    """
    if labels == "inferred":
        folders = _class_folders(directory, class_names)
    else:
        if class_names is not None:
            if labels is None:
                raise ValueError(
                    "When `labels=None` (no labels), argument `class_names` cannot be specified."
                )
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` cannot be "
                "specified (the `class_names` will be the sorted list of labels)."
            )
        folders = [""]
    file_paths: list[str] = []
    found_labels: list[int] = []
    for index, folder in enumerate(folders):
        files = _files_under(os.path.join(directory, folder), formats, follow_links)
        file_paths += files
        found_labels += [index] * len(files)
    if labels == "inferred":
        labels, class_names = np.asarray(found_labels, dtype="int32"), folders
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(file_paths):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(file_paths)} "
                f"files in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
        labels = list(labels)
    if verbose:
        if labels is None:
            print(f"Found {len(file_paths)} files.")
        else:
            print(f"Found {len(file_paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    if labels is not None:
        labels = np.asarray(labels, dtype="int32")
    return file_paths, labels, class_names


def split_subset(
    paths: list[str], labels: Any, validation_split: float | None, subset: str | None
) -> tuple[list[str], Any]:
    """The training (all but the last `int(split * n)`) or validation (those) files."""
    if not validation_split:
        return paths, labels
    num_val = int(validation_split * len(paths))
    if subset == "training":
        print(f"Using {len(paths) - num_val} files for training.")
        part = slice(None, -num_val) if num_val else slice(None)
    elif subset == "validation":
        print(f"Using {num_val} files for validation.")
        part = slice(-num_val, None) if num_val else slice(0, 0)
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return paths[part], None if labels is None else labels[part]


def encode_labels(labels: Any, label_mode: str | None, num_classes: int) -> torch.Tensor | None:
    """Labels as Keras yields them: int32, float32 `(n, 1)` (binary) or float32 one-hot."""
    if label_mode is None or labels is None:
        return None
    labels = torch.as_tensor(np.asarray(labels, dtype="int64"))
    if label_mode == "binary":
        return labels.to(torch.float32).unsqueeze(-1)
    if label_mode == "categorical":
        return torch.nn.functional.one_hot(labels, num_classes).to(torch.float32)
    return labels.to(torch.int32)


class LabeledFiles(Dataset):
    """A map-style dataset: `load(path)`, paired with its encoded label when there is one.

    Args:
        paths: the files, in sample order.
        labels: a tensor of encoded labels (one row per file), or None.
        load: a picklable function from a path to a sample (worker processes call it).
    """

    def __init__(self, paths: list[str], labels: torch.Tensor | None, load: Callable[[str], Any]):
        self.paths, self.labels, self.load = paths, labels, load

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Any:
        sample = self.load(self.paths[index])
        return sample if self.labels is None else (sample, self.labels[index])


def dataset_from_directory(
    directory: str,
    *,
    formats: tuple[str, ...],
    files: str,
    formats_note: str,
    load: Callable[[str], Any],
    labels: Any,
    label_mode: str | None,
    class_names: list[str] | None,
    batch_size: int | None,
    shuffle: bool,
    seed: int | None,
    validation_split: float | None,
    subset: str | None,
    follow_links: bool,
    verbose: bool,
    num_workers: int = 0,
    collate_fn: Callable[[list[Any]], Any] | None = None,
) -> BatchLoader | list[BatchLoader]:
    """Index, split and wrap a folder of files in `BatchLoader`(s), as Keras's builders do.

    `files` names the samples in messages ("images"), `formats_note` ends the "nothing found"
    errors ("Allowed formats: ..."); `load` reads one file. Label arguments must already be
    checked with `check_label_args`.
    """
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(
        directory, labels, formats, class_names, shuffle, seed, follow_links, verbose
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    num_classes = len(class_names) if class_names else 0

    def loader(part: str | None, prefix: str, shuffled: bool) -> BatchLoader:
        part_paths, part_labels = split_subset(paths, labels, validation_split, part)
        if not part_paths:
            raise ValueError(f"No {prefix}{files} found in directory {directory}. {formats_note}")
        return BatchLoader(
            LabeledFiles(part_paths, encode_labels(part_labels, label_mode, num_classes), load),
            batch_size=batch_size,
            shuffle=shuffled,
            seed=seed,
            collate_fn=collate_fn,
            num_workers=num_workers,
            class_names=class_names,
            file_paths=part_paths,
        )

    if subset == "both":
        return [
            loader("training", "training ", shuffle),
            loader("validation", "validation ", False),
        ]
    return loader(subset, "", shuffle)


__all__ = [
    "LabeledFiles",
    "check_label_args",
    "check_validation_split_arg",
    "dataset_from_directory",
    "encode_labels",
    "index_directory",
    "split_subset",
]
