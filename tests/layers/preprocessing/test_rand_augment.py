import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.layers.preprocessing.rand_augment import RandAugment
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    quiet_keras,
)
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import assert_close, keras_or_skip, to_numpy

OPS = [
    "random_shear", "random_translation", "random_rotation", "random_brightness",
    "random_color_degeneration", "random_contrast", "random_sharpness",
    "random_posterization", "solarization", "auto_contrast", "equalization",
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"value_range": (0, 1), "num_ops": 3, "factor": 0.2}])
def test_rand_augment_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(RandAugment, kwargs, (2, 8, 8, 3), training=False)


def _keras_op_outputs(keras, kwargs, x):
    """Each of Keras's RandAugment operations applied once to `x` (channels last)."""
    ref = keras.layers.RandAugment(**kwargs)
    tensor = keras.ops.convert_to_tensor(x)
    outputs = {}
    with quiet_keras():
        for name in OPS:
            op = getattr(ref, name)
            outputs[name] = to_numpy(
                op.transform_images(tensor, op.get_random_transformation(tensor))
            )
    return outputs


@pytest.mark.parity
def test_rand_augment_operations_are_keras_operations():
    keras = keras_or_skip()
    kwargs = {"value_range": (0, 1), "factor": (0.0, 0.0)}  # every operation deterministic
    x = images((2, 8, 8, 3)) * 0.8 + 0.1
    expected = _keras_op_outputs(keras, kwargs, x)
    layer = RandAugment(**kwargs, num_ops=1, seed=0)
    for index, name in enumerate(OPS):
        op = layer._augment_layers[index]
        assert type(op).__name__.lower().replace("_", "") == name.replace("_", "")
        assert_close(op.call(torch.from_numpy(x), training=True), expected[name], atol=1e-5)
    seen = set()
    for _ in range(40):  # each call is one of Keras's operations, applied to the whole batch
        got = to_numpy(layer(torch.from_numpy(x), training=True))
        matches = [n for n in OPS if np.allclose(got, expected[n], atol=1e-5)]
        assert matches
        seen.update(matches)
    assert len(seen) >= 6


def test_rand_augment_is_seeded_and_in_range():
    assert_seeded_and_inference_identity(RandAugment, {"value_range": (0, 1)})
    x = torch.rand(4, 8, 8, 3)
    y = RandAugment(value_range=(0, 1), num_ops=4, seed=2)(x, training=True)
    assert y.shape == x.shape
    assert torch.equal(RandAugment(num_ops=0)(x * 255, training=True), x * 255)


def test_rand_augment_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandAugment(factor=1.5)


@pytest.mark.parity
def test_composite_layers_keras_files_move_both_ways(tmp_path):
    keras = keras_or_skip()
    inputs = keras.Input((8, 8, 3))
    hidden = keras.layers.RandAugment(value_range=(0, 1), num_ops=3, seed=3)(inputs)
    hidden = keras.layers.AugMix(value_range=(0, 1), all_ops=False)(hidden)
    outputs = keras.layers.RandomColorJitter(value_range=(0, 1), hue_factor=0.2, seed=1)(hidden)
    path = str(tmp_path / "theirs.keras")
    keras.Model(inputs, outputs).save(path)
    ours = kerastorch.saving.load_model(path)
    names = [type(layer).__name__ for layer in ours.layers][1:]
    assert names == ["RandAugment", "AugMix", "RandomColorJitter"]
    assert ours.layers[1].get_config()["num_ops"] == 3
    x = images((2, 8, 8, 3))
    assert torch.equal(ours(torch.from_numpy(x), training=False), torch.from_numpy(x))
    assert ours(torch.from_numpy(x), training=True).shape == (2, 8, 8, 3)
    again = str(tmp_path / "ours.keras")
    ours.save(again)
    reloaded = keras.saving.load_model(again)
    assert reloaded.layers[2].get_config()["all_ops"] is False
    assert_close(reloaded(x, training=False), x)
