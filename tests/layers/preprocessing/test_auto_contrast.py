import pytest
import torch

import kerastorch
from kerastorch.layers.preprocessing.auto_contrast import AutoContrast
from kerastorch.layers.preprocessing.solarization import Solarization
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import assert_no_host_sync
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({}, (2, 8, 8, 3)),
        ({"value_range": (1, 0)}, (2, 8, 8, 3)),
        ({"value_range": (-1, 1), "data_format": "channels_first"}, (2, 3, 8, 8)),
    ],
)
def test_auto_contrast_matches_keras(kwargs, shape):
    keras_or_skip()
    low, high = sorted(kwargs.get("value_range", (0, 255)))
    data = images(shape) * (high - low) * 0.6 + low + 0.1 * (high - low)
    for training in (True, False):
        check_layer(AutoContrast, kwargs, shape, input_data=data, training=training)


@pytest.mark.parity
def test_auto_contrast_keeps_constant_channels_and_single_images_like_keras():
    x = images((2, 6, 5, 3)) * 200
    x[0, ..., 1] = 7.0  # a constant channel: 255 / (max - min) is infinite
    got = assert_matches_keras(AutoContrast(), "AutoContrast", {}, x)
    assert bool((got[0, ..., 1] == 7.0).all())
    assert_matches_keras(AutoContrast(), "AutoContrast", {}, x[1])


def test_auto_contrast_stretches_each_channel_to_the_full_range():
    x = torch.rand(3, 5, 5, 3) * 0.5 + 0.2
    y = AutoContrast(value_range=(0, 1))(x)
    torch.testing.assert_close(y.amin(dim=(1, 2)), torch.zeros(3, 3))
    torch.testing.assert_close(y.amax(dim=(1, 2)), torch.ones(3, 3))


def test_auto_contrast_validates_arguments():
    with pytest.raises(ValueError, match="value_range"):
        AutoContrast(value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="factor"):
        AutoContrast(factor=0.5)
    with pytest.raises(ValueError, match="rank"):
        AutoContrast()(torch.zeros(2, 3))


@pytest.mark.parity
def test_auto_contrast_and_solarization_keras_files_move_both_ways(
    tmp_path,
):
    keras = keras_or_skip()
    x = images((2, 8, 8, 3))
    inputs = kerastorch.Input((8, 8, 3))
    hidden = AutoContrast(value_range=(0, 1))(inputs)
    outputs = Solarization(threshold_factor=(0.0, 0.0), value_range=(0, 1))(hidden)
    model = kerastorch.Model(inputs, outputs)
    path = str(tmp_path / "ours.keras")
    model.save(path)
    expected = model(torch.from_numpy(x), training=True)
    loaded = keras.saving.load_model(path)
    assert_close(loaded(x, training=True), expected)

    keras_inputs = keras.Input((8, 8, 3))
    keras_model = keras.Model(
        keras_inputs,
        keras.layers.Solarization(value_range=(0, 1))(
            keras.layers.AutoContrast(value_range=(0, 1))(keras_inputs)
        ),
    )
    keras_path = str(tmp_path / "theirs.keras")
    keras_model.save(keras_path)
    ours = kerastorch.saving.load_model(keras_path)
    assert [type(layer).__name__ for layer in ours.layers][1:] == ["AutoContrast", "Solarization"]
    assert_close(ours(torch.from_numpy(x), training=True), keras_model(x, training=True))
    assert_close(ours(torch.from_numpy(x), training=False), keras_model(x, training=False))


def test_auto_contrast_runs_on_the_meta_device_without_host_sync():
    assert_no_host_sync(AutoContrast())
