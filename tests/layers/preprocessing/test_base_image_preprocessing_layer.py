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


@pytest.mark.parity
@pytest.mark.parametrize("name", ["RandomBrightness", "RandomContrast", "RandomSaturation"])
def test_colour_layers_pass_boxes_labels_and_masks_through_as_keras(name):
    import kerastorch.layers.preprocessing as ours_module
    from tests.layers.preprocessing.box_oracle import assert_dicts_close, copy, data_dict
    from tests.oracle import keras_or_skip

    keras = keras_or_skip()
    data = data_dict("rel_xyxy", (2, 6, 5, 3))
    kwargs = {"factor": 0.3, "value_range": (0, 1), "seed": 1, "bounding_box_format": "rel_xyxy"}
    if name == "RandomContrast":
        kwargs.pop("value_range")
    ours = getattr(ours_module, name)(**kwargs)
    out = ours(copy(data), training=True)
    theirs = getattr(keras.layers, name)(**kwargs)(copy(data), training=True)
    out.pop("images")
    theirs.pop("images")
    assert_dicts_close(out, theirs)
    assert out["bounding_boxes"]["boxes"].dtype == torch.float32  # densified, as Keras
    assert ours.get_config() == {**theirs_config(keras, name, kwargs), "name": ours.name}


def theirs_config(keras, name, kwargs):
    config = getattr(keras.layers, name)(**kwargs).get_config()
    config.pop("name")
    return config


def test_colour_layers_need_a_format_and_keep_unbatched_dicts():
    from kerastorch.layers.preprocessing.random_brightness import RandomBrightness

    boxes = {"boxes": torch.tensor([[1.0, 2.0, 3.0, 4.0]]), "labels": torch.tensor([2])}
    data = {"images": torch.rand(4, 4, 3), "bounding_boxes": boxes, "labels": torch.tensor(1)}
    with pytest.raises(ValueError, match="Pass a `bounding_box_format` argument to your Random"):
        RandomBrightness(0.2)(data)
    out = RandomBrightness(0.2, bounding_box_format="xyxy")(data)
    assert out["images"].shape == (4, 4, 3)
    assert out["bounding_boxes"]["boxes"].tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert out["labels"].tolist() == 1


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("RandomFlip", {}),
        ("RandomZoom", {"height_factor": 0.2}),
        ("RandomRotation", {"factor": 0.1}),
        ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1}),
        ("RandomPerspective", {}),
        ("RandomShear", {"x_factor": 0.2}),
        ("MixUp", {}),
        ("Resizing", {"height": 4, "width": 5}),
        ("CenterCrop", {"height": 4, "width": 5}),
    ],
)
def test_box_transforms_run_on_the_meta_device_without_host_sync(name, kwargs):
    import kerastorch.layers.preprocessing as module

    meta = torch.device("meta")
    data = {
        "images": torch.rand(2, 8, 8, 3, device=meta),
        "segmentation_masks": torch.zeros(2, 8, 8, 1, device=meta),
        "bounding_boxes": {
            "boxes": torch.zeros(2, 3, 4, device=meta),
            "labels": torch.zeros(2, 3, dtype=torch.int32, device=meta),
        },
    }
    out = getattr(module, name)(**kwargs, bounding_box_format="rel_xywh")(data, training=True)
    assert out["bounding_boxes"]["boxes"].device == meta
    assert out["bounding_boxes"]["boxes"].shape[-1] == 4


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("RandomFlip", {}),
        ("RandomZoom", {"height_factor": 0.2}),
        ("Resizing", {"height": 4, "width": 5}),
        ("RandomCrop", {"height": 4, "width": 5, "seed": 3}),
        ("CutMix", {}),
        ("RandomBrightness", {"factor": 0.2}),
        ("RandAugment", {}),
    ],
)
def test_bounding_box_format_config_matches_keras(name, kwargs):
    import kerastorch.layers.preprocessing as module
    from tests.oracle import keras_or_skip

    keras = keras_or_skip()
    ours = getattr(module, name)(**kwargs, bounding_box_format="center_xywh").get_config()
    theirs = getattr(keras.layers, name)(**kwargs, bounding_box_format="center_xywh").get_config()
    assert ours["bounding_box_format"] == theirs["bounding_box_format"] == "center_xywh"
    assert ours.keys() == theirs.keys()
    reloaded = getattr(module, name).from_config(ours)
    assert reloaded.bounding_box_format == "center_xywh"
