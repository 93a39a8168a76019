import pytest
import torch

from kerastorch.layers.preprocessing.random_color_jitter import RandomColorJitter
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import assert_seeded_and_inference_identity
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip

ALL_FACTORS = {
    "brightness_factor": 0.2,
    "contrast_factor": 0.3,
    "saturation_factor": 0.4,
    "hue_factor": 0.5,
}


@pytest.mark.parity
def test_random_color_jitter_matches_keras_at_inference():
    keras_or_skip()
    check_layer(RandomColorJitter, ALL_FACTORS, (2, 8, 8, 3), training=False)


PINNED = {  # deterministic in Keras too
    "value_range": (0, 1),
    "brightness_factor": (0.1, 0.1),
    "contrast_factor": (0.0, 0.0),
    "saturation_factor": (0.3, 0.3),
    "hue_factor": (1.0, 1.0),  # +-half a turn: the same image either way
}


@pytest.mark.parity
def test_random_color_jitter_pinned_factors_match_keras_in_training():
    keras_or_skip()
    check_layer(RandomColorJitter, PINNED, (2, 8, 8, 3), input_data=images((2, 8, 8, 3)) * 0.8,
                training=True)  # fmt: skip


def test_random_color_jitter_channels_first_equals_channels_last():
    # Keras builds its sub-layers without `data_format` (channels-first images fail there).
    x = torch.from_numpy(images((2, 6, 5, 3)))
    last = RandomColorJitter(**PINNED)(x, training=True)
    first = RandomColorJitter(**PINNED, data_format="channels_first")(
        x.permute(0, 3, 1, 2), training=True
    )
    torch.testing.assert_close(first.permute(0, 2, 3, 1), last)


def test_random_color_jitter_applies_only_the_given_adjustments():
    assert_seeded_and_inference_identity(RandomColorJitter, ALL_FACTORS)
    x = torch.rand(8, 4, 4, 3) * 200
    y = RandomColorJitter(brightness_factor=(0.1, 0.1))(x, training=True)
    torch.testing.assert_close(y, (x + 25.5).clamp(0, 255))
    layer = RandomColorJitter(**ALL_FACTORS, seed=3)
    assert [type(m).__name__ for m in layer._adjustments] == [
        "RandomBrightness", "RandomContrast", "RandomSaturation", "RandomHue"
    ]  # fmt: skip
    assert torch.equal(RandomColorJitter()(x, training=True), x)


def test_random_color_jitter_draws_one_stream_for_all_adjustments():
    layer = RandomColorJitter(brightness_factor=0.5, hue_factor=0.5, seed=1)
    x = torch.rand(2, 4, 4, 3)
    layer(x)
    generators = {id(m._generators) for m in layer._adjustments}
    assert generators == {id(layer._generators)}
