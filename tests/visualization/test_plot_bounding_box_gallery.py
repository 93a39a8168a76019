import numpy as np
import pytest

from kerastorch.visualization import draw_bounding_boxes, plot_bounding_box_gallery
from tests.oracle import keras_or_skip
from tests.visualization.conftest import assert_same_figure, shown

pytest.importorskip("cv2")

_Y_TRUE = {"boxes": np.array([[[4, 4, 30, 20]], [[10, 2, 40, 30]]]), "labels": np.array([[0], [1]])}
_Y_PRED = {
    "boxes": np.array([[[6, 5, 28, 22], [0, 0, 8, 8]], [[12, 3, 38, 28], [1, 1, 3, 3]]]),
    "labels": np.array([[0, 1], [1, -1]]),
    "confidences": np.array([[0.9, 0.4], [0.7, 0.1]]),
}


def _images():
    return np.random.default_rng(0).integers(0, 256, (2, 32, 48, 3)).astype("uint8")


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"y_true": _Y_TRUE},
        {"y_true": _Y_TRUE, "y_pred": _Y_PRED, "class_mapping": {0: "a", 1: "b"}, "legend": True},
        {"y_pred": _Y_PRED, "prediction_mapping": {1: "b"}, "line_thickness": 1, "scale": 1},
    ],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_plot_bounding_box_gallery_matches_keras(plt, kwargs, data_format):
    keras = keras_or_skip()
    images = _images() if data_format == "channels_last" else _images().transpose(0, 3, 1, 2)
    keras.visualization.plot_bounding_box_gallery(
        images, "xyxy", data_format=data_format, show=False, **kwargs
    )
    theirs = plt.gcf()
    plot_bounding_box_gallery(images, "xyxy", data_format=data_format, show=False, **kwargs)
    ours = plt.gcf()
    assert_same_figure(ours, theirs)
    texts = [[t.get_text() for t in legend.get_texts()] for legend in ours.legends]
    assert texts == [[t.get_text() for t in legend.get_texts()] for legend in theirs.legends]
    assert texts == ([["Ground Truth", "Prediction"]] if kwargs.get("legend") else [])


def test_plot_bounding_box_gallery_value_range_draws_on_the_shown_pixels(plt):
    # Keras re-maps the already drawn (0, 255) images from `value_range` and overflows.
    images = _images()
    plot_bounding_box_gallery(
        images / 255.0, "xyxy", y_true=_Y_TRUE, value_range=(0, 1), show=False
    )
    scaled = (images / 255.0 * 255.0).astype("float32").astype("uint8")
    expected = draw_bounding_boxes(scaled, _Y_TRUE, "xyxy", color=(0, 188, 212))
    for (_, image), want in zip(shown(plt.gcf()), expected, strict=True):
        np.testing.assert_array_equal(image, want)


def test_plot_bounding_box_gallery_errors(plt, tmp_path):
    with pytest.raises(ValueError, match="must be batched 4D tensor"):
        plot_bounding_box_gallery(_images()[0], "xyxy", show=False)
    with pytest.raises(ValueError, match="Only pass `legend` OR `legend_handles`"):
        plot_bounding_box_gallery(_images(), "xyxy", legend=True, legend_handles=["x"], show=False)
    plot_bounding_box_gallery(_images(), "xyxy", y_true=_Y_TRUE, path=str(tmp_path / "b.png"))
    assert (tmp_path / "b.png").stat().st_size > 0
    assert plt.get_fignums() == []
