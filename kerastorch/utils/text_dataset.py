"""`text_dataset_from_directory`: a folder of `.txt` files (one subfolder per class).

Returns a `BatchLoader` (a torch `DataLoader`) yielding `(texts, labels)`: `texts` a tuple of
Python strings (torch has no string tensors; Keras's own torch-side loader yields the same),
labels as Keras encodes them. `TextVectorization` takes such a tuple.

Example:
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> for name, text in (("neg", "bad"), ("pos", "good")):
    ...     os.makedirs(os.path.join(root, name))
    ...     with open(os.path.join(root, name, "0.txt"), "w") as f:
    ...         _ = f.write(text)
    >>> data = text_dataset_from_directory(root, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> texts, labels = next(iter(data))
    >>> texts, labels.tolist()
    (('bad', 'good'), [0, 1])
"""

from __future__ import annotations

import functools
from typing import Any

from kerastorch.utils.batch_loader import BatchLoader, check_format
from kerastorch.utils.folder_dataset import check_label_args, dataset_from_directory


def read_text(path: str, max_length: int | None = None) -> str:
    """A file's text (UTF-8), cut to its first `max_length` characters."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text if max_length is None else text[:max_length]


def text_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    format: str = "tf",
    verbose: bool = True,
    num_workers: int = 0,
) -> BatchLoader | list[BatchLoader]:
    """A dataset of texts from the `.txt` files in the class subfolders of `directory`.

    Args:
        directory: the root folder; with `labels="inferred"`, one subfolder per class.
        labels: `"inferred"`, None, or a list of integer labels in sorted file order.
        label_mode: `"int"`, `"categorical"`, `"binary"` or None (texts only).
        class_names: the subfolders to use, in label order (with inferred labels).
        batch_size: texts per batch; None yields single texts.
        max_length: keep at most this many characters of each text.
        shuffle: shuffle the files (with `seed`, the same order as Keras) and reshuffle the
            batches at each epoch.
        seed: the shuffling seed.
        validation_split: the fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: descend into symlinked folders.
        format: `"tf"` or `"grain"`, accepted for Keras's signature: either way the result
            is a `BatchLoader`.
        verbose: print how many files and classes were found.
        num_workers: kerastorch extension: worker processes reading the files.

    Returns:
        A `BatchLoader` with `class_names` and `file_paths` (a list of two with
        `subset="both"`), yielding `(tuple_of_str, labels)` batches.
    """
    check_label_args(labels, label_mode, class_names, "text files", "text samples")
    check_format(format)
    return dataset_from_directory(
        directory,
        formats=(".txt",),
        files="text files",
        formats_note="Allowed format: .txt",
        load=functools.partial(read_text, max_length=max_length),
        labels=labels,
        label_mode=label_mode,
        class_names=class_names,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        validation_split=validation_split,
        subset=subset,
        follow_links=follow_links,
        verbose=verbose,
        num_workers=num_workers,
    )


__all__ = ["text_dataset_from_directory"]
