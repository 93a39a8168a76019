import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("cls", "kwargs", "input_shape", "output_shape"),
    [
        (UpSampling1D, {}, (2, 3, 4), (2, 6, 4)),
        (UpSampling1D, {"size": 3}, (2, 3, 4), (2, 9, 4)),
        (UpSampling2D, {}, (2, 3, 4, 2), (2, 6, 8, 2)),
        (UpSampling2D, {"size": (3, 1)}, (2, 3, 4, 2), (2, 9, 4, 2)),
        (UpSampling2D, {"size": 2, "data_format": "channels_first"}, (2, 3, 4, 2), (2, 3, 8, 4)),
        (UpSampling2D, {"interpolation": "bilinear"}, (2, 3, 4, 2), (2, 6, 8, 2)),
        (UpSampling2D, {"size": (3, 5), "interpolation": "bilinear"}, (2, 4, 3, 2), (2, 12, 15, 2)),
        (UpSampling2D, {"size": (1, 3), "interpolation": "BILINEAR",
                        "data_format": "channels_first"}, (2, 3, 4, 5), (2, 3, 4, 15)),
        (UpSampling2D, {"size": (2, 3), "interpolation": "bicubic"}, (2, 4, 5, 3), (2, 8, 15, 3)),
        (UpSampling2D, {"interpolation": "bicubic", "data_format": "channels_first"},
         (2, 3, 4, 5), (2, 3, 8, 10)),
        (UpSampling3D, {}, (1, 2, 3, 2, 2), (1, 4, 6, 4, 2)),
        (UpSampling3D, {"size": (1, 2, 3)}, (1, 2, 3, 2, 2), (1, 2, 6, 6, 2)),
        (UpSampling3D, {"size": 2, "data_format": "channels_first"}, (1, 2, 3, 2, 1),
         (1, 2, 6, 4, 2)),
    ],
)  # fmt: skip
def test_up_sampling_matches_keras(cls, kwargs, input_shape, output_shape):
    keras_or_skip()
    check_layer(
        cls,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parity
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic"])
def test_up_sampling_2d_integer_inputs_match_keras(interpolation):
    keras_or_skip()
    result = check_layer(
        UpSampling2D,
        {"size": (2, 3), "interpolation": interpolation},
        (1, 3, 3, 2),
        input_dtype="int32",
        input_range=(0, 100),
        check_models=False,
    )
    assert result.output.dtype == torch.int32


def _tf_half_pixel_bilinear(x: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """TF's `resize_bilinear(half_pixel_centers=True)` on NHWC, written from its definition."""

    def weights(in_size: int, out_size: int):
        scale = in_size / out_size
        src = (np.arange(out_size) + 0.5) * scale - 0.5
        floor = np.floor(src)
        lower = np.maximum(floor, 0).astype(int)
        upper = np.minimum(np.ceil(src), in_size - 1).astype(int)
        return lower, upper, src - floor

    top, bottom, ly = weights(x.shape[1], out_h)
    left, right, lx = weights(x.shape[2], out_w)
    lx = lx[None, None, :, None]
    rows_top, rows_bottom = x[:, top], x[:, bottom]
    t = rows_top[:, :, left] + (rows_top[:, :, right] - rows_top[:, :, left]) * lx
    b = rows_bottom[:, :, left] + (rows_bottom[:, :, right] - rows_bottom[:, :, left]) * lx
    return t + (b - t) * ly[None, :, None, None]


@pytest.mark.parametrize("size", [(2, 2), (3, 4), (1, 5)])
def test_up_sampling_2d_bilinear_follows_tf_half_pixel_centers(size):
    x = np.random.default_rng(0).standard_normal((2, 4, 3, 2)).astype(np.float32)
    out = UpSampling2D(size, interpolation="bilinear")(torch.from_numpy(x))
    expected = _tf_half_pixel_bilinear(x.astype(np.float64), 4 * size[0], 3 * size[1])
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-6)


def test_up_sampling_2d_bilinear_gets_a_permuted_view_and_returns_nhwc(monkeypatch):
    seen = []
    original = torch.nn.functional.interpolate

    def spy(x, *args, **kwargs):
        seen.append(x)
        return original(x, *args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "interpolate", spy)
    x = torch.randn(2, 3, 4, 5)
    out = UpSampling2D(2, interpolation="bilinear")(x)
    assert len(seen) == 1
    assert seen[0].shape == (2, 5, 3, 4)
    assert seen[0].data_ptr() == x.data_ptr()
    assert out.shape == (2, 6, 8, 5)
    assert out.is_contiguous()


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_up_sampling_2d_nearest_and_area_repeat_pixels(data_format):
    x = torch.randn(2, 3, 4, 5)
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    expected = x.repeat_interleave(2, dim=axes[0]).repeat_interleave(3, dim=axes[1])
    for interpolation in ("nearest", "area"):
        layer = UpSampling2D((2, 3), data_format=data_format, interpolation=interpolation)
        assert torch.equal(layer(x), expected)


def test_up_sampling_1d_and_3d_repeat_along_their_axes():
    x = torch.randn(2, 3, 4)
    assert torch.equal(UpSampling1D(3)(x), x.repeat_interleave(3, dim=1))
    v = torch.randn(1, 2, 3, 4, 2)
    expected = v.repeat_interleave(2, 2).repeat_interleave(3, 3).repeat_interleave(1, 4)
    assert torch.equal(UpSampling3D((2, 3, 1), data_format="channels_first")(v), expected)


def test_up_sampling_gradient_sums_over_the_repeats():
    x = torch.randn(1, 2, 3, 1, requires_grad=True)
    UpSampling2D((2, 3))(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 2, 3, 1), 6.0, np.float32))


def test_up_sampling_symbolic_keeps_unknown_dims():
    assert UpSampling2D((2, 3))(Input((None, 4, 3))).shape == (None, None, 12, 3)
    assert UpSampling1D(2)(Input((None, 3))).shape == (None, None, 3)
    assert UpSampling3D(2, data_format="channels_first")(Input((2, None, 1, 3))).shape == (
        None, 2, None, 2, 6
    )  # fmt: skip


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: UpSampling1D(2.0), TypeError, "Expected an integer value for `size`"),
        (lambda: UpSampling1D(0), ValueError, "should be a positive integer. Received: size=0"),
        (lambda: UpSampling2D((2, 0)), ValueError, r"including values \{0\} that do not satisfy"),
        (lambda: UpSampling2D(interpolation="lanczos3"), ValueError, "torch has no such kernel"),
        (lambda: UpSampling2D(interpolation="linear"), ValueError, "Received: interpolation="),
        (lambda: UpSampling3D((2, 2)), ValueError, "must be a tuple of 3 integers"),
    ],
)
def test_up_sampling_rejects_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()
