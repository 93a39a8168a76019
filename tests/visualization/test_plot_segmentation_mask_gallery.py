import numpy as np
import pytest

from kerastorch.visualization import draw_segmentation_masks, plot_segmentation_mask_gallery
from tests.oracle import keras_or_skip
from tests.visualization.conftest import assert_same_figure, shown


def _data(seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (2, 6, 7, 3)).astype("uint8")
    return images, rng.integers(-1, 3, (2, 6, 7, 1)), rng.integers(0, 3, (2, 6, 7, 1))


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"use": ("y_true", "y_pred")},
        {"use": ("y_true",), "alpha": 0.5, "ignore_index": 0},
        {"use": ("y_pred",), "blend": False, "scale": 1},
        {"use": (), "color_mapping": {0: (1, 2, 3), 1: (4, 5, 6), 2: (7, 8, 9)}},
    ],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_plot_segmentation_mask_gallery_matches_keras(plt, kwargs, data_format):
    keras = keras_or_skip()
    kwargs = dict(kwargs)
    images, y_true, y_pred = _data()
    if data_format == "channels_first":
        images, y_true, y_pred = (a.transpose(0, 3, 1, 2) for a in (images, y_true, y_pred))
    masks = {"y_true": y_true, "y_pred": y_pred}
    kwargs |= {name: masks[name] for name in kwargs.pop("use")}
    keras.visualization.plot_segmentation_mask_gallery(
        images, 3, data_format=data_format, show=False, **kwargs
    )
    theirs = plt.gcf()
    plot_segmentation_mask_gallery(images, 3, data_format=data_format, show=False, **kwargs)
    ours = plt.gcf()
    assert_same_figure(ours, theirs)
    assert len(ours.axes) == 2 * (1 + ("y_true" in kwargs) + ("y_pred" in kwargs))


def test_plot_segmentation_mask_gallery_value_range_blends_in_0_255(plt):
    # Keras blends (0, 255) colours into (0, 1) images and then re-maps them, overflowing.
    images, y_true, _ = _data(1)
    plot_segmentation_mask_gallery(images / 255.0, 3, value_range=(0, 1), y_true=y_true, show=False)
    scaled = (images / 255.0).astype("float32") * 255.0
    expected = draw_segmentation_masks(scaled, y_true, 3)
    np.testing.assert_array_equal(shown(plt.gcf())[1][1], expected[0])


def test_plot_segmentation_mask_gallery_errors_and_path(plt, tmp_path):
    images, y_true, _ = _data()
    with pytest.raises(ValueError, match="must be batched 4D tensor"):
        plot_segmentation_mask_gallery(images[0], 3, show=False)
    plot_segmentation_mask_gallery(images, 3, y_true=y_true, path=str(tmp_path / "m.png"))
    assert (tmp_path / "m.png").stat().st_size > 0
    assert plt.get_fignums() == []
