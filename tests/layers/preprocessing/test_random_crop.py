import pytest
import torch

from kerastorch.layers.preprocessing.random_crop import RandomCrop
from kerastorch.layers.preprocessing.resizing import Resizing
from tests.layer_checks import check_layer
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_random_crop_training_shapes_and_config_match_keras():
    keras_or_skip()
    check_layer(
        RandomCrop,
        {"height": 4, "width": 4, "seed": 3},
        (2, 8, 8, 3),
        training=True,
        deterministic=False,
        expected_output_shape=(2, 4, 4, 3),
    )


@pytest.mark.parity
@pytest.mark.parametrize(("size", "shape"), [((8, 8), (2, 4, 6, 3)), ((8, 4), (2, 8, 6, 3))])
def test_random_crop_fallback_for_small_images_matches_keras(size, shape):
    """Images not larger than the target take Keras's deterministic path, even in training."""
    kwargs = {"height": size[0], "width": size[1], "seed": 1}
    assert_matches_keras(RandomCrop(**kwargs), "RandomCrop", kwargs, images(shape), training=True)


def test_random_crop_training_windows_are_crops_of_the_input():
    x = torch.arange(2 * 8 * 8, dtype=torch.float32).reshape(2, 8, 8, 1)
    layer = RandomCrop(3, 4, seed=0)
    corners = set()
    for _ in range(20):
        y = layer(x, training=True)
        top, left = divmod(int(y[0, 0, 0, 0]), 8)
        torch.testing.assert_close(y, x[:, top : top + 3, left : left + 4])
        corners.add((top, left))
    assert len(corners) > 3
    again = [RandomCrop(3, 4, seed=9)(x, training=True) for _ in range(2)]
    assert torch.equal(again[0], again[1])


def test_random_crop_at_inference_resizes_the_central_aspect_window():
    """Keras documents (and tf.keras did) `smart_resize` at inference: the largest centred
    window with the target aspect ratio, resized (Keras 3.15 returns the input unchanged)."""
    x = torch.rand(2, 8, 8, 3)
    expected = Resizing(4, 4, crop_to_aspect_ratio=True)(x)
    torch.testing.assert_close(RandomCrop(4, 4)(x, training=False), expected)
    assert RandomCrop(4, 6)(x, training=False).shape == (2, 4, 6, 3)


def test_random_crop_draws_a_seed_when_none_is_given():
    assert isinstance(RandomCrop(2, 2).get_config()["seed"], int)
