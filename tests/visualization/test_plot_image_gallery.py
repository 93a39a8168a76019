import sys

import numpy as np
import pytest
import torch

from kerastorch.visualization import plot_image_gallery
from tests.oracle import keras_or_skip
from tests.visualization.conftest import assert_same_figure, shown

_LABELS = {0: "cat", 1: "dog"}


def _images(batch=4, dtype="uint8", high=256):
    rng = np.random.default_rng(batch)
    return rng.integers(0, high, (batch, 5, 6, 3)).astype(dtype)


def _compare_with_keras(plt, images, **kwargs):
    keras = keras_or_skip()
    keras.visualization.plot_image_gallery(images, show=False, **kwargs)
    theirs = plt.gcf()
    plot_image_gallery(images, show=False, **kwargs)
    ours = plt.gcf()
    assert ours is not theirs
    assert_same_figure(ours, theirs)
    return ours


@pytest.mark.parity
@pytest.mark.parametrize(
    ("batch", "kwargs"),
    [
        (4, {}),
        (3, {}),  # Keras's grid: 2 rows of 1 (3 // 2 columns)
        (1, {"scale": 1.5}),
        (6, {"rows": 2, "y_true": [0, 1, 1, 0, 5, 1], "label_map": _LABELS}),
        (4, {"rows": 1, "cols": 4, "y_true": [0, 1], "y_pred": [1, 1, 0, 0], "label_map": _LABELS}),
    ],
)
def test_plot_image_gallery_matches_keras(plt, batch, kwargs):
    figure = _compare_with_keras(plt, _images(batch), **kwargs)
    assert all(image is not None for _, image in shown(figure))


@pytest.mark.parity
def test_plot_image_gallery_value_range_matches_keras(plt):
    images = np.random.default_rng(0).random((4, 5, 6, 3)).astype("float32")
    figure = _compare_with_keras(plt, images, value_range=(0, 1))
    np.testing.assert_array_equal(shown(figure)[0][1], (images[0] * 255).astype("uint8"))


@pytest.mark.parity
def test_plot_image_gallery_legend_matches_keras(plt):
    from matplotlib import patches

    handles = [patches.Patch(color="red", label="red things")]
    figure = _compare_with_keras(plt, _images(), legend_handles=handles)
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["red things"]


def test_plot_image_gallery_channels_first_and_tensors(plt):
    # Keras transposes channels_first images twice and fails in imshow; here they plot.
    images = _images()
    plot_image_gallery(images, show=False)
    expected = shown(plt.gcf())
    plot_image_gallery(
        torch.from_numpy(images).permute(0, 3, 1, 2), show=False, data_format="channels_first"
    )
    for (_, ours), (_, theirs) in zip(shown(plt.gcf()), expected, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_plot_image_gallery_leaves_cells_beyond_the_batch_empty(plt):
    plot_image_gallery(_images(3), rows=2, cols=2, show=False)  # Keras: IndexError
    assert [image is None for _, image in shown(plt.gcf())] == [False, False, False, True]


def test_plot_image_gallery_saves_to_path_and_closes_the_figure(plt, tmp_path):
    path = tmp_path / "gallery.png"
    plot_image_gallery(_images(), path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []


def test_plot_image_gallery_errors(plt, monkeypatch):
    with pytest.raises(ValueError, match="either `path` to be set, or `show` to be true"):
        plot_image_gallery(_images(), path="x.png", show=True)
    with pytest.raises(ValueError, match="a `label_map` must also be provided"):
        plot_image_gallery(_images(), y_true=[0, 1, 0, 1], show=False)
    with pytest.raises(ValueError, match="requires you to batch"):
        plot_image_gallery(_images()[0], show=False)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plot_image_gallery(_images(), show=False)
