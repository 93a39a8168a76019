"""Fixtures for the gallery tests: matplotlib off-screen (Agg), every figure closed after."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest


@pytest.fixture
def plt() -> Iterator[Any]:
    """`matplotlib.pyplot` on the Agg backend (skips without matplotlib)."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.close("all")
    yield pyplot
    pyplot.close("all")


def shown(figure: Any) -> list[tuple[str, np.ndarray | None]]:
    """Each axis of `figure` as (title, the image it shows or None)."""
    return [
        (
            axis.get_title(),
            np.asarray(axis.get_images()[0].get_array()) if axis.get_images() else None,
        )
        for axis in figure.axes
    ]


def assert_same_figure(ours: Any, theirs: Any) -> None:
    """The same grid, figure size, titles and image pixels."""
    assert ours.get_size_inches().tolist() == theirs.get_size_inches().tolist()
    assert len(ours.axes) == len(theirs.axes)
    for (title, image), (their_title, their_image) in zip(shown(ours), shown(theirs), strict=True):
        assert title == their_title
        assert (image is None) == (their_image is None)
        if image is not None:
            assert image.dtype == their_image.dtype
            np.testing.assert_array_equal(image, their_image)
