"""`audio_dataset_from_directory` on a temporary tree of WAV files.

Keras 3.15 decodes WAVs with TensorFlow (not installed here): samples are checked against
the PCM values written (`tf.audio.decode_wav` scales 16-bit PCM by 1/32768, as here),
batching against Keras's documented `padded_batch`, and argument errors against Keras itself.
"""

import wave

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.utils import audio_dataset_from_directory
from kerastorch.utils.audio_dataset import read_wav, resample
from tests.oracle import keras_or_skip


def write_wav(path, samples, width=2, rate=8000):
    """Write integer PCM `samples` of shape (frames, channels)."""
    samples = np.asarray(samples)
    if width == 1:
        raw = (samples + 128).astype("uint8").tobytes()
    elif width == 3:
        raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in samples.reshape(-1))
    else:
        raw = samples.astype(f"<i{width}").tobytes()
    with wave.open(str(path), "wb") as f:
        f.setnchannels(samples.shape[1])
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(raw)


@pytest.fixture
def tree(tmp_path):
    rng = np.random.default_rng(0)
    for label, lengths in (("no", (5, 3)), ("yes", (4, 6, 2))):
        (tmp_path / label).mkdir()
        for i, length in enumerate(lengths):
            write_wav(tmp_path / label / f"{i}.wav", rng.integers(-32768, 32767, (length, 1)))
    return str(tmp_path)


@pytest.mark.parametrize(("width", "scale"), [(1, 128), (2, 32768), (3, 1 << 23), (4, 1 << 31)])
def test_pcm_widths_scale_to_unit_range(tmp_path, width, scale):
    values = np.array([[-scale, 0], [scale // 2, scale - 1]], dtype="int64")
    write_wav(tmp_path / "a.wav", values, width=width)
    audio = read_wav(str(tmp_path / "a.wav"))
    assert audio.dtype == torch.float32
    assert audio.shape == (2, 2)
    np.testing.assert_allclose(audio.numpy(), values / scale, rtol=1e-6)


def test_padded_batches_and_labels(tree, capsys):
    data = audio_dataset_from_directory(tree, batch_size=3, shuffle=False)
    assert capsys.readouterr().out == "Found 5 files belonging to 2 classes.\n"
    (audio, labels), (audio2, labels2) = list(data)
    assert audio.shape == (3, 5, 1)
    assert audio2.shape == (2, 6, 1)
    assert labels.tolist() == [0, 0, 1]
    assert labels2.tolist() == [1, 1]
    assert float(audio[1, 3:].abs().sum()) == 0.0  # the 3-sample clip is zero-padded at the end
    first = read_wav(data.file_paths[0])
    np.testing.assert_array_equal(audio[0].numpy(), first.numpy())


def test_fixed_length_ragged_and_unlabeled(tree):
    fixed = next(iter(audio_dataset_from_directory(tree, output_sequence_length=4, shuffle=False)))
    assert fixed[0].shape == (5, 4, 1)
    ragged = next(iter(audio_dataset_from_directory(tree, ragged=True, shuffle=False)))
    assert [len(clip) for clip in ragged[0]] == [5, 3, 4, 6, 2]
    clips = next(iter(audio_dataset_from_directory(tree, label_mode=None, batch_size=2)))
    assert isinstance(clips, torch.Tensor)
    assert clips.shape[0] == 2


def test_resampling(tmp_path):
    t = np.arange(800) / 8000
    write_wav(tmp_path / "s.wav", (np.sin(2 * np.pi * 200 * t) * 16000)[:, None].astype("int64"))
    audio = read_wav(str(tmp_path / "s.wav"), sampling_rate=4000)
    assert audio.shape == (400, 1)
    expected = np.sin(2 * np.pi * 200 * np.arange(400) / 4000) * 16000 / 32768
    np.testing.assert_allclose(audio[:, 0].numpy(), expected, atol=1e-4)
    assert resample(audio, 4000, 4000) is audio


def test_fit_on_audio(tree):
    data = audio_dataset_from_directory(
        tree,
        output_sequence_length=6,
        batch_size=2,
        seed=0,
        validation_split=0.4,
        subset="training",
        verbose=False,
    )
    model = kerastorch.Sequential(
        [kerastorch.Input((6, 1)), kerastorch.layers.Flatten(), kerastorch.layers.Dense(2)]
    )
    model.compile("adam", kerastorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert len(model.fit(data, epochs=2, verbose=0).history["loss"]) == 2


BAD = [
    {"labels": "folders"},
    {"label_mode": "sparse"},
    {"ragged": True, "output_sequence_length": 3},
    {"sampling_rate": 16000.0},
    {"sampling_rate": -1},
    {"validation_split": 0.2, "subset": "training"},
]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", BAD)
def test_argument_errors_match_keras(tree, kwargs):
    keras = keras_or_skip()
    with pytest.raises(ValueError) as theirs:
        keras.utils.audio_dataset_from_directory(tree, **kwargs)
    with pytest.raises(ValueError) as ours:
        audio_dataset_from_directory(tree, **kwargs)
    assert str(ours.value) == str(theirs.value)
