import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.aug_mix import AugMix
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    quiet_keras,
)
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"value_range": (0, 1), "all_ops": False, "alpha": 0.5}])
def test_aug_mix_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(AugMix, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
def test_aug_mix_mixes_the_image_with_one_keras_operation():
    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "factor": (0.0, 0.0), "all_ops": False}
    x = images((2, 8, 8, 3)) * 0.8 + 0.1
    ref = keras.layers.AugMix(**kwargs)
    tensor = keras.ops.convert_to_tensor(x)
    candidates = [x]  # "no operation"
    with quiet_keras():
        for name in ref._augment_layers:  # deterministic with factor 0
            op = getattr(ref, name)
            transformation = op.get_random_transformation(tensor)
            candidates.append(to_numpy(op.transform_images(tensor, transformation)))
    layer = AugMix(**kwargs, num_chains=1, chain_depth=1, seed=0)
    assert len(layer._augment_layers) == len(ref._augment_layers) == 7
    for _ in range(10):  # clip(m x + (1 - m) op(x)): on a segment from x to a Keras op
        got = to_numpy(layer(torch.from_numpy(x), training=True)).ravel()
        residuals = []
        for candidate in candidates:
            direction = candidate.ravel() - x.ravel()
            if not direction.any():
                residuals.append(np.abs(got - x.ravel()).max())
                continue
            m = np.dot(got - x.ravel(), direction) / np.dot(direction, direction)
            residuals.append(np.abs(x.ravel() + m * direction - got).max())
        assert min(residuals) < 1e-5


def test_aug_mix_is_seeded_and_stays_in_range():
    assert_seeded_and_inference_identity(AugMix, {"value_range": (0, 1)})
    x = torch.rand(4, 8, 8, 3) * 255
    y = AugMix(seed=1, num_chains=2, chain_depth=2)(x, training=True)
    assert bool(((y >= 0) & (y <= 255)).all())
    weights, mix = AugMix(num_chains=4, seed=0)._mixing_weights()
    assert len(weights) == 4
    assert abs(sum(weights) - 1) < 1e-6
    assert 0 <= mix <= 1
    assert len(AugMix(all_ops=True)._augment_layers) == 11


def test_aug_mix_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        AugMix(factor=(0.2, 0.5, 0.7))
