import pytest
import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    affine_matrix,
    affine_transform,
)
from kerastorch.layers.preprocessing.random_flip import RandomFlip
from kerastorch.layers.preprocessing.random_rotation import RandomRotation
from kerastorch.layers.preprocessing.random_translation import RandomTranslation
from kerastorch.layers.preprocessing.random_zoom import RandomZoom
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images

FILL_MODES = ["constant", "nearest", "reflect", "wrap"]


@pytest.mark.parity
@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_affine_layers_match_keras_for_a_fixed_transform(fill_mode, interpolation, data_format):
    """Degenerate factor ranges make the random transform fixed: outputs must equal Keras's."""
    common = {
        "fill_mode": fill_mode,
        "interpolation": interpolation,
        "fill_value": 0.3,
        "data_format": data_format,
    }
    x = images()
    for cls, kwargs in [
        (RandomRotation, {"factor": (0.13, 0.13)}),
        (RandomZoom, {"height_factor": (0.31, 0.31), "width_factor": (-0.27, -0.27)}),
        (RandomTranslation, {"height_factor": (0.23, 0.23), "width_factor": (-0.37, -0.37)}),
    ]:
        kwargs = {**kwargs, **common}
        assert_matches_keras(cls(**kwargs), cls.__name__, kwargs, x, training=True)


def test_affine_transform_identity_is_exact_enough():
    x = torch.rand(2, 3, 5, 4)
    matrix = affine_matrix(torch.zeros(2), 5, 4)
    for mode in FILL_MODES:
        torch.testing.assert_close(affine_transform(x, matrix, fill_mode=mode), x)


def test_affine_transform_quarter_turn_is_a_rot90():
    x = torch.rand(1, 1, 5, 5)
    out = affine_transform(x, affine_matrix(torch.tensor([90.0]), 5, 5), "nearest")
    torch.testing.assert_close(out, torch.rot90(x, k=1, dims=(2, 3)))


def test_image_layers_take_channels_last_inputs_as_views():
    x = torch.rand(2, 8, 8, 3)
    seen = []
    original = torch.nn.functional.grid_sample

    def spy(inputs, *args, **kwargs):
        seen.append(inputs)
        return original(inputs, *args, **kwargs)

    torch.nn.functional.grid_sample = spy
    try:
        RandomRotation(0.1, fill_mode="reflect")(x, training=True)
    finally:
        torch.nn.functional.grid_sample = original
    assert seen[0].data_ptr() == x.data_ptr()  # a permuted view, no copy


@pytest.mark.parametrize("training", [None, True])
def test_image_layers_augment_unless_training_is_false(training):
    """Keras's rule: these layers default to `training=True` when called directly."""
    x = torch.rand(16, 4, 4, 1)
    assert not torch.equal(RandomFlip(seed=3)(x, training=training), x)
    assert torch.equal(RandomFlip(seed=3)(x, training=False), x)


def test_image_layers_are_identity_in_predict():
    from kerastorch.layers.core.input_layer import Input
    from kerastorch.models import Sequential

    x = torch.rand(4, 8, 8, 3)
    model = Sequential([Input((8, 8, 3)), RandomRotation(0.3), RandomZoom(0.2)])
    assert torch.equal(model(x, training=False), x)
    assert not torch.equal(model(x, training=True), x)


def test_image_layers_reject_bad_ranks():
    with pytest.raises(ValueError, match=r"rank 3 .* or 4"):
        RandomFlip()(torch.rand(8, 8))


def test_geometric_layers_validate_fill_mode_and_factor():
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode`"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="`factor` argument"):
        RandomRotation(1.5)
    with pytest.raises(ValueError, match="height_factor"):
        RandomZoom(-1.0)
