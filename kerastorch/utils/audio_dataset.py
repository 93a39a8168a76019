"""`audio_dataset_from_directory`: a folder of `.wav` files (one subfolder per class).

Returns a `BatchLoader` (a torch `DataLoader`) yielding `(audio, labels)`: float32 audio of
shape `(batch, samples, channels)` in `[-1, 1)`, zero-padded to the longest clip of each batch
(or cut/padded to `output_sequence_length`). WAV files are read with the standard library's
`wave` module (integer PCM, 8 to 32 bits); no TensorFlow is needed.

Example:
    >>> import os, tempfile, wave
    >>> root = tempfile.mkdtemp()
    >>> for name, frames in (("no", 3), ("yes", 5)):
    ...     os.makedirs(os.path.join(root, name))
    ...     with wave.open(os.path.join(root, name, "0.wav"), "wb") as f:
    ...         f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
    ...         f.writeframes(bytes(2 * frames))
    >>> data = audio_dataset_from_directory(root, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> audio, labels = next(iter(data))
    >>> tuple(audio.shape), labels.tolist()
    ((2, 5, 1), [0, 1])
"""

from __future__ import annotations

import functools
import wave
from typing import Any

import numpy as np
import torch
from torch.nn.utils.rnn import pad_sequence

from kerastorch.utils.batch_loader import BatchLoader
from kerastorch.utils.folder_dataset import check_label_args, dataset_from_directory

ALLOWED_FORMATS = (".wav",)


def _pcm_to_float(frames: bytes, width: int) -> np.ndarray:
    """Little-endian integer PCM samples scaled to `[-1, 1)`."""
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(frames, "uint8").astype("float32") - 128.0) / 128.0
    if width == 3:
        raw = np.frombuffer(frames, "uint8").reshape(-1, 3).astype("int32")
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype("float32") / float(1 << 23)
    if width in (2, 4):
        values = np.frombuffer(frames, f"<i{width}")
        return (values / float(1 << (8 * width - 1))).astype("float32")
    raise ValueError(f"audio_dataset_from_directory: unsupported WAV sample width: {width} bytes.")


def resample(audio: torch.Tensor, rate_in: int, rate_out: int) -> torch.Tensor:
    """Band-limited (Fourier) resampling of `(samples, channels)` audio to `rate_out`."""
    if rate_in == rate_out:
        return audio
    length = audio.shape[0]
    new_length = max(round(length * rate_out / rate_in), 1)
    spectrum = torch.fft.rfft(audio.double(), dim=0)
    bins = new_length // 2 + 1
    if bins <= spectrum.shape[0]:
        spectrum = spectrum[:bins]
    else:
        spectrum = torch.cat(
            [spectrum, spectrum.new_zeros(bins - spectrum.shape[0], *spectrum.shape[1:])]
        )
    out = torch.fft.irfft(spectrum, n=new_length, dim=0) * (new_length / length)
    return out.to(torch.float32)


def read_wav(
    path: str, sampling_rate: int | None = None, output_sequence_length: int | None = None
) -> torch.Tensor:
    """A WAV file as float32 `(samples, channels)`, cut or zero-padded, then resampled."""
    with wave.open(path, "rb") as f:
        channels, width, rate = f.getnchannels(), f.getsampwidth(), f.getframerate()
        frames = f.readframes(f.getnframes())
    audio = torch.from_numpy(_pcm_to_float(frames, width).reshape(-1, channels).copy())
    if output_sequence_length is not None:
        audio = audio[:output_sequence_length]
        missing = output_sequence_length - audio.shape[0]
        if missing > 0:
            audio = torch.cat([audio, audio.new_zeros(missing, channels)])
    if sampling_rate is not None:
        audio = resample(audio, rate, sampling_rate)
    return audio


def _split(samples: list[Any]) -> tuple[list[torch.Tensor], torch.Tensor | None]:
    if isinstance(samples[0], tuple):
        return [s[0] for s in samples], torch.stack([s[1] for s in samples])
    return samples, None


def pad_audio_batch(samples: list[Any]) -> Any:
    """A batch of clips zero-padded at the end to the longest one (Keras's `padded_batch`)."""
    clips, labels = _split(samples)
    audio = pad_sequence(clips, batch_first=True)
    return audio if labels is None else (audio, labels)


def ragged_audio_batch(samples: list[Any]) -> Any:
    """A batch of clips as a list of tensors of their own lengths (`ragged=True`)."""
    clips, labels = _split(samples)
    return clips if labels is None else (clips, labels)


def audio_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
    num_workers: int = 0,
) -> BatchLoader | list[BatchLoader]:
    """A dataset of audio clips from the `.wav` files in the class subfolders of `directory`.

    Args:
        directory: the root folder; with `labels="inferred"`, one subfolder per class.
        labels: `"inferred"`, None, or a list of integer labels in sorted file order.
        label_mode: `"int"`, `"categorical"`, `"binary"` or None (audio only).
        class_names: the subfolders to use, in label order (with inferred labels).
        batch_size: clips per batch; None yields single clips.
        sampling_rate: resample every clip to this rate (Fourier resampling; Keras uses
            `tensorflow_io` for this).
        output_sequence_length: cut or zero-pad every clip to this many samples.
        ragged: batches hold a list of clips of their own lengths instead of one padded
            tensor (torch has no ragged tensors).
        shuffle: shuffle the files (with `seed`, the same order as Keras) and reshuffle the
            batches at each epoch.
        seed: the shuffling seed.
        validation_split: the fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: descend into symlinked folders.
        verbose: print how many files and classes were found.
        num_workers: kerastorch extension: worker processes reading the files.

    Returns:
        A `BatchLoader` with `class_names` and `file_paths` (a list of two with
        `subset="both"`).
    """
    check_label_args(labels, label_mode, class_names, "audio files", "audio samples", "The ")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(
                "`sampling_rate` should have an integer value. "
                f"Received: sampling_rate={sampling_rate}"
            )
        if sampling_rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}"
            )
    if ragged:
        collate = ragged_audio_batch
    else:
        collate = pad_audio_batch if output_sequence_length is None else None
    return dataset_from_directory(
        directory,
        formats=ALLOWED_FORMATS,
        files="audio files",
        formats_note=f"Allowed format(s): {ALLOWED_FORMATS}",
        load=functools.partial(
            read_wav, sampling_rate=sampling_rate, output_sequence_length=output_sequence_length
        ),
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
        collate_fn=collate,
    )


__all__ = ["audio_dataset_from_directory"]
