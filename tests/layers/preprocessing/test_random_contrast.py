import pytest
import torch

from kerastorch.layers.preprocessing.random_contrast import RandomContrast
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("factor", [0.3, (0.2, 0.5)])
def test_random_contrast_matches_keras_at_inference_and_config(factor):
    keras_or_skip()
    check_layer(RandomContrast, {"factor": factor, "seed": 1}, (2, 8, 8, 3), training=False)


@pytest.mark.parity
@pytest.mark.parametrize("factor", [0.0, (0.0, 0.0)])
def test_random_contrast_zero_factor_matches_keras_in_training(factor):
    keras_or_skip()
    check_layer(RandomContrast, {"factor": factor, "value_range": (-5, 5)}, (2, 8, 8, 3),
                training=True)  # fmt: skip


def test_random_contrast_scales_deviations_by_a_factor_in_range():
    x = torch.rand(64, 6, 6, 3) * 100 + 50
    y = RandomContrast((0.4, 0.6), seed=0)(x, training=True)
    mean = x.mean(dim=(1, 2), keepdim=True)
    ratio = (y - mean) / (x - mean)  # one factor per image, shared by every pixel
    per_image = ratio.flatten(1)
    torch.testing.assert_close(
        per_image.min(1).values, per_image.max(1).values, rtol=1e-3, atol=1e-3
    )
    assert bool(((per_image >= 0.6 - 1e-3) & (per_image <= 1.6 + 1e-3)).all())
    assert float(per_image.std()) > 0.1


def test_random_contrast_clips_to_the_value_range():
    y = RandomContrast((0.0, 1.0), value_range=(0, 1), seed=1)(torch.rand(8, 4, 4, 1))
    assert bool(((y >= 0) & (y <= 1)).all())
