import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.cut_mix import CutMix
from tests.layer_checks import check_layer
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"factor": (0.2, 0.6), "seed": 3}])
def test_cut_mix_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(CutMix, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_cut_mix_training_shapes_match_keras():
    keras_or_skip()
    check_layer(CutMix, {"seed": 1}, (4, 8, 8, 3), training=True, deterministic=False)


def test_cut_mix_pastes_boxes_from_other_images_and_mixes_labels_by_area():
    n = 16
    x = torch.arange(n, dtype=torch.float32).view(n, 1, 1, 1).expand(n, 32, 30, 2).clone()
    out = CutMix(seed=0)({"images": x, "labels": torch.eye(n)}, training=True)
    y, mixed = out["images"], out["labels"]
    assert y.shape == x.shape
    assert y.dtype == torch.float32
    torch.testing.assert_close(mixed.sum(-1), torch.ones(n))
    assert bool((mixed >= 0).all())
    pasted = 0
    for i in range(n):
        values = y[i, :, :, 0].unique().tolist()
        others = [v for v in values if v != i]
        assert len(others) <= 1
        assert bool((y[i, :, :, 0] == y[i, :, :, 1]).all())
        if not others:  # pasted from itself, or a box too thin to hold a pixel
            assert float(mixed[i, i]) == pytest.approx(1.0, abs=0.08)
            continue
        pasted += 1
        j = int(others[0])
        # The pasted pixels form one box; its share matches the label weight (the box's
        # continuous area) up to pixel rounding.
        rows, cols = (y[i, :, :, 0] == j).nonzero().T
        box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        assert int(box) == len(rows)
        assert float(mixed[i, j]) == pytest.approx(len(rows) / (32 * 30), abs=0.08)
    assert pasted >= n // 2


def test_cut_mix_seed_reproduces_and_channels_first_and_unbatched():
    x = torch.from_numpy(images((4, 3, 8, 8)))
    a = CutMix(seed=5, data_format="channels_first")(x, training=True)
    b = CutMix(seed=5, data_format="channels_first")(x, training=True)
    assert torch.equal(a, b)
    assert a.shape == x.shape
    single = torch.from_numpy(images((8, 8, 3)))
    assert torch.equal(CutMix(seed=5)(single, training=True), single)  # Keras: unbatched no-op


def test_cut_mix_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        CutMix(factor=1.5)


@pytest.mark.parity
def test_cut_mix_refuses_bounding_boxes_as_keras():
    keras = keras_or_skip()
    data = {
        "images": np.zeros((2, 4, 4, 3), "float32"),
        "bounding_boxes": {
            "boxes": np.zeros((2, 1, 4), "float32"),
            "labels": np.zeros((2, 1), "int32"),
        },
    }
    with pytest.raises(ValueError, match="bounding_box_format"):
        CutMix()(data, training=True)
    with pytest.raises(NotImplementedError):
        keras.layers.CutMix(bounding_box_format="xyxy")(dict(data), training=True)
    with pytest.raises(NotImplementedError, match="CutMix does not support 'bounding_boxes'"):
        CutMix(bounding_box_format="xyxy")(data, training=True)
