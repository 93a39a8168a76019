"""`image_dataset_from_directory`: a folder of images (one subfolder per class) to `fit`.

Returns a `BatchLoader` (a torch `DataLoader`) yielding `(images, labels)`: float32 images
of `image_size` (channels last by default) and labels as Keras encodes them. Images are
decoded with Pillow (`pip install pillow`) and resized with `kerastorch.ops.image.resize`,
as Keras's tf-free loader does.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from kerastorch.utils.image_utils import save_img
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     os.makedirs(os.path.join(root, name))
    ...     save_img(os.path.join(root, name, "0.png"), np.ones((8, 8, 3)), scale=False)
    >>> data = image_dataset_from_directory(root, image_size=(4, 4), batch_size=2, seed=1)
    Found 2 files belonging to 2 classes.
    >>> images, labels = next(iter(data))
    >>> tuple(images.shape), images.dtype, labels.dtype, data.class_names
    ((2, 4, 4, 3), torch.float32, torch.int32, ['cat', 'dog'])
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.ops.image import resize
from kerastorch.utils.batch_loader import BatchLoader, check_format
from kerastorch.utils.folder_dataset import check_label_args, dataset_from_directory
from kerastorch.utils.image_utils import convert_mode, pil_image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
KERAS_INTERPOLATIONS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)
TORCH_INTERPOLATIONS = ("bilinear", "nearest", "bicubic")


def load_image(
    path: str,
    image_size: tuple[int, int],
    color_mode: str,
    interpolation: str,
    data_format: str,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
) -> torch.Tensor:
    """One image file as a float32 tensor of `image_size`, as Keras's dataset yields it."""
    image = pil_image("image_dataset_from_directory")
    with image.open(path) as img:
        img = torch.as_tensor(np.array(convert_mode(img, color_mode)), dtype=torch.float32)
    if img.ndim == 2:
        img = img.unsqueeze(-1)
    if data_format == "channels_first":
        img = img.permute(2, 0, 1)
    return resize(
        img,
        size=image_size,
        interpolation=interpolation,
        crop_to_aspect_ratio=crop_to_aspect_ratio,
        pad_to_aspect_ratio=pad_to_aspect_ratio,
        data_format=data_format,
    )


def image_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: int | tuple[int, int] = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    format: str = "tf",
    verbose: bool = True,
    num_workers: int = 0,
) -> BatchLoader | list[BatchLoader]:
    """A dataset of images from the class subfolders of `directory`.

    Args:
        directory: the root folder; with `labels="inferred"`, one subfolder per class
            (`.bmp`, `.gif`, `.jpeg`, `.jpg`, `.png` files, searched recursively).
        labels: `"inferred"` (from the subfolders), None, or a list of integer labels in
            the sorted order of the file paths.
        label_mode: `"int"` (int32), `"categorical"` (float32 one-hot), `"binary"` (float32
            `(batch, 1)`) or None (images only).
        class_names: the subfolders to use, in label order (with inferred labels).
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"` (1, 3 or 4 channels).
        batch_size: images per batch; None yields single images.
        image_size: the `(height, width)` images are resized to.
        shuffle: shuffle the files (with `seed`, the same order as Keras) and reshuffle the
            batches at each epoch; False keeps alphanumeric order.
        seed: the shuffling seed (required with `validation_split` and `shuffle`).
        validation_split: the fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (a list of the two datasets).
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"`.
        follow_links: descend into symlinked folders.
        crop_to_aspect_ratio: crop the centre to `image_size`'s aspect ratio first.
        pad_to_aspect_ratio: pad with zeros to `image_size`'s aspect ratio first.
        data_format: `"channels_last"` or `"channels_first"`; `image_data_format()` default.
        format: `"tf"` or `"grain"`, accepted for Keras's signature: either way the result
            is a `BatchLoader` (torch has neither tf.data nor grain datasets).
        verbose: print how many files and classes were found.
        num_workers: kerastorch extension: worker processes decoding images (0: none).

    Returns:
        A `BatchLoader` (a `torch.utils.data.DataLoader`) with `class_names` and
        `file_paths`, or a list `[training, validation]` with `subset="both"`.
    """
    check_label_args(labels, label_mode, class_names, "image files", "images")
    if color_mode not in CHANNELS:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            "Invalid `image_size` value. Expected a tuple of 2 integers. "
            f"Received: image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in KERAS_INTERPOLATIONS:
        raise ValueError(
            f"Argument `interpolation` should be one of {KERAS_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )
    if interpolation not in TORCH_INTERPOLATIONS:
        raise ValueError(
            f"image_dataset_from_directory: interpolation={interpolation!r} needs TensorFlow's "
            f"resize; kerastorch resizes with torch, which supports {TORCH_INTERPOLATIONS}."
        )
    check_format(format)
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`."
        )
    load = functools.partial(
        load_image,
        image_size=tuple(image_size),
        color_mode=color_mode,
        interpolation=interpolation,
        data_format=config.standardize_data_format(data_format),
        crop_to_aspect_ratio=crop_to_aspect_ratio,
        pad_to_aspect_ratio=pad_to_aspect_ratio,
    )
    return dataset_from_directory(
        directory,
        formats=ALLOWLIST_FORMATS,
        files="images",
        formats_note=f"Allowed formats: {ALLOWLIST_FORMATS}",
        load=load,
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


__all__ = ["image_dataset_from_directory"]
