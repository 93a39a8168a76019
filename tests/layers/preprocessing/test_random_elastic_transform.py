import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.random_elastic_transform import RandomElasticTransform
from tests.layer_checks import check_layer
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip

OTHER = {"factor": 0.5, "scale": (0.2, 0.6), "fill_mode": "constant", "interpolation": "nearest"}


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {**OTHER, "seed": 3}])
def test_random_elastic_transform_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(RandomElasticTransform, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_random_elastic_transform_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomElasticTransform, {"seed": 1}, (2, 16, 16, 3), training=True,
                deterministic=False)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"factor": 0.0}, {"scale": 0.0, "value_range": (0, 0.5)}])
def test_random_elastic_transform_that_never_applies_matches_keras(kwargs):
    assert_matches_keras(RandomElasticTransform(**kwargs), "RandomElasticTransform", kwargs,
                         images(), training=True)  # fmt: skip


def test_random_elastic_transform_deforms_smoothly_within_the_value_range():
    x = torch.linspace(0, 255, 32).view(1, 1, 32, 1).expand(8, 32, 32, 3).contiguous()
    y = RandomElasticTransform(seed=0)(x, training=True)
    assert y.shape == x.shape
    assert y.dtype == torch.float32
    assert float(y.min()) >= 0
    assert float(y.max()) <= 255
    assert not torch.equal(y, x)
    # alpha = 3.2 px at most-scale 1 on 32x32: columns move by a few pixels at most.
    assert float((y - x).abs().max()) < 255 * 8 / 31
    flat = torch.full((2, 16, 16, 1), 7.0)
    torch.testing.assert_close(RandomElasticTransform(seed=1)(flat, training=True), flat)


def test_random_elastic_transform_seed_reproduces_and_masks_keep_their_values():
    x = torch.from_numpy(images((3, 3, 16, 16))) * 255
    kwargs = {"seed": 5, "data_format": "channels_first", "factor": (1.0, 1.0)}
    a = RandomElasticTransform(**kwargs)(x, training=True)
    assert torch.equal(a, RandomElasticTransform(**kwargs)(x, training=True))
    masks = torch.randint(0, 4, (3, 1, 16, 16)).float()
    out = RandomElasticTransform(**kwargs)({"images": x, "segmentation_masks": masks})
    assert torch.equal(out["images"], a)
    assert set(out["segmentation_masks"].unique().tolist()) <= {0.0, 1.0, 2.0, 3.0}
    single = RandomElasticTransform(seed=5)(x[0].permute(1, 2, 0), training=True)
    assert single.shape == (16, 16, 3)


def test_random_elastic_transform_validates_arguments():
    with pytest.raises(NotImplementedError, match="fill_mode"):
        RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match="scale"):
        RandomElasticTransform(scale=2.0)


@pytest.mark.parity
def test_random_elastic_transform_refuses_bounding_boxes_as_keras():
    keras = keras_or_skip()
    data = {
        "images": np.zeros((2, 4, 4, 3), "float32"),
        "bounding_boxes": {
            "boxes": np.zeros((2, 1, 4), "float32"),
            "labels": np.zeros((2, 1), "int32"),
        },
    }
    with pytest.raises(NotImplementedError):
        keras.layers.RandomElasticTransform(bounding_box_format="xyxy")(dict(data))
    layer = RandomElasticTransform(bounding_box_format="xyxy")
    with pytest.raises(NotImplementedError, match="does not support 'bounding_boxes'"):
        layer(data, training=True)
