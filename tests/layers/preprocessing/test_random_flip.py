import pytest
import torch

from kerastorch.layers.preprocessing.random_flip import RandomFlip
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_flip_matches_keras_at_inference(mode, data_format):
    keras_or_skip()
    kwargs = {"mode": mode, "seed": 5, "data_format": data_format}
    check_layer(
        RandomFlip, kwargs, (2, 4, 4, 3), training=False, expected_output_shape=(2, 4, 4, 3)
    )


@pytest.mark.parity
def test_random_flip_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomFlip, {"seed": 1}, (2, 4, 4, 3), training=True, deterministic=False)


@pytest.mark.parametrize(
    ("mode", "dims"),
    [("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))],
)
def test_random_flip_outputs_exact_flips_about_half_the_time(mode, dims):
    x = torch.rand(64, 4, 5, 2)
    y = RandomFlip(mode, seed=0)(x, training=True)
    flip_dims = tuple(d - 1 for d in dims)  # per image (no batch axis)
    same = [torch.equal(a, b) for a, b in zip(y, x, strict=True)]
    flipped = [torch.equal(a, b.flip(flip_dims)) for a, b in zip(y, x, strict=True)]
    assert all(s or f for s, f in zip(same, flipped, strict=True))
    assert 16 < sum(flipped) < 48


def test_random_flip_seed_reproduces_and_unbatched_works():
    x = torch.rand(8, 4, 4, 1)
    a = RandomFlip(seed=11)(x, training=True)
    b = RandomFlip(seed=11)(x, training=True)
    assert torch.equal(a, b)
    assert RandomFlip(seed=1)(x[0], training=True).shape == (4, 4, 1)


def test_random_flip_casts_integer_images_to_float():
    x = torch.randint(0, 255, (2, 4, 4, 3), dtype=torch.uint8)
    assert RandomFlip()(x, training=False).dtype == torch.float32


def test_random_flip_rejects_unknown_mode():
    with pytest.raises(ValueError, match="unknown mode argument"):
        RandomFlip("diagonal")
