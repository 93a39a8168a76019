import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.bounding_boxes import converters
from kerastorch.layers.preprocessing.bounding_boxes.converters import SUPPORTED_FORMATS
from tests.oracle import assert_close, keras_or_skip, to_numpy

H, W = 20, 30


def _boxes(shape=(2, 3), seed=0):
    """Valid xyxy boxes, some padded with -1 (Keras's padding)."""
    r = np.random.default_rng(seed)
    xy = r.uniform(0, 10, (*shape, 2))
    wh = r.uniform(1, 15, (*shape, 2))
    boxes = np.concatenate([xy, xy + wh], axis=-1).astype("float32")
    boxes[..., -1, :] = -1.0
    return boxes


def _kb():
    return keras_or_skip().utils.bounding_boxes


def _same(ours, theirs, atol=1e-5):
    assert str(ours.dtype).removeprefix("torch.") == str(theirs.dtype).removeprefix("torch.")
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, to_numpy(theirs), atol=atol)


@pytest.mark.parity
@pytest.mark.parametrize("target", SUPPORTED_FORMATS)
@pytest.mark.parametrize("shape", [(4,), (2, 3)], ids=["unbatched", "batched"])
def test_convert_format_both_directions_match_keras(target, shape):
    kb = _kb()
    xyxy = _boxes(shape)
    theirs = kb.convert_format(xyxy, "xyxy", target, height=H, width=W)
    ours = converters.convert_format(xyxy, "xyxy", target, height=H, width=W)
    _same(ours, theirs)
    source = to_numpy(theirs)
    back_theirs = kb.convert_format(source, target, "xyxy", height=H, width=W)
    back_ours = converters.convert_format(source, target, "xyxy", height=H, width=W)
    _same(back_ours, back_theirs, atol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("xywh", "center_yxhw"),
        ("center_xywh", "yxyx"),
        ("YXYX", "Center_XYWH"),
        ("xywh", "xywh"),
    ],
)
def test_convert_format_without_height_width_and_case_match_keras(source, target):
    kb = _kb()
    boxes = np.abs(_boxes((3,))) / 40.0
    theirs = kb.convert_format(boxes, source, target, dtype="float64")
    ours = converters.convert_format(boxes, source, target, dtype="float64")
    _same(ours, theirs)


@pytest.mark.parity
def test_convert_format_dict_tensor_height_and_int_boxes_match_keras():
    kb = _kb()
    boxes = np.array([[10, 20, 30, 40], [50, 60, 70, 80]])
    ours = {"boxes": torch.from_numpy(boxes), "labels": torch.tensor([1, 2])}
    out = converters.convert_format(ours, "xyxy", "rel_xywh", torch.tensor(200), torch.tensor(300))
    assert out is ours  # Keras updates the dict in place
    theirs = kb.convert_format(
        {"boxes": boxes, "labels": np.array([1, 2])}, "xyxy", "rel_xywh", height=200, width=300
    )
    _same(out["boxes"], theirs["boxes"])


@pytest.mark.parity
@pytest.mark.parametrize(
    ("boxes", "source", "target", "kwargs"),
    [
        (np.zeros((2, 3)), "xyxy", "xywh", {}),
        (np.zeros((2, 4)), "xyxy", "xyzw", {}),
        (np.zeros((2, 4)), "xyxy", "rel_xyxy", {"height": 4}),
        (np.zeros((2, 4)), "rel_yxyx", "xyxy", {}),
    ],
    ids=["last_axis", "unknown_format", "no_width", "no_height_width"],
)
def test_convert_format_errors_match_keras(boxes, source, target, kwargs):
    kb = _kb()
    with pytest.raises(ValueError) as theirs:
        kb.convert_format(boxes, source, target, **kwargs)
    with pytest.raises(ValueError) as ours:
        converters.convert_format(boxes, source, target, **kwargs)
    assert str(ours.value).replace(" ", "") == str(theirs.value).replace(" ", "")


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy"])
@pytest.mark.parametrize("with_labels", [True, False])
def test_clip_to_image_size_matches_keras(fmt, with_labels):
    kb = _kb()
    boxes = _boxes((2, 4)) * 2.5 - 5.0
    boxes[0, 1] = [40.0, 3.0, 50.0, 9.0]  # fully outside: label -1
    if fmt == "rel_xyxy":
        boxes = boxes / 25.0
    data = {"boxes": boxes}
    if with_labels:
        data["labels"] = np.arange(8, dtype="int32").reshape(2, 4)
    theirs = kb.clip_to_image_size(dict(data), height=H, width=W, bounding_box_format=fmt)
    ours = converters.clip_to_image_size(dict(data), height=H, width=W, bounding_box_format=fmt)
    assert ours.keys() == theirs.keys()
    for key in theirs:
        _same(ours[key], theirs[key])


def test_clip_to_image_size_errors():
    data = {"boxes": np.zeros((1, 4), "float32")}
    with pytest.raises(NotImplementedError, match="bounding_box_format"):
        converters.clip_to_image_size(data, 4, 4, bounding_box_format="xywh")
    with pytest.raises(ValueError, match="`height` and `width` must be set"):
        converters.clip_to_image_size(data, width=4)


@pytest.mark.parity
@pytest.mark.parametrize("center", [None, (0.25, 0.75)])
def test_affine_transform_matches_keras(center):
    kb = _kb()
    r = np.random.default_rng(1)
    boxes = _boxes((3, 4))
    args = [
        r.uniform(-30, 30, 3),
        r.uniform(-0.2, 0.2, 3),
        r.uniform(-0.2, 0.2, 3),
        r.uniform(0.8, 1.2, 3),
        r.uniform(-20, 20, 3),
        r.uniform(-20, 20, 3),
    ]
    args = [a.astype("float32") for a in args]
    kwargs = {} if center is None else {"center_x": center[0], "center_y": center[1]}
    theirs = kb.affine_transform(boxes, *args, H, W, **kwargs)
    ours = converters.affine_transform(
        torch.from_numpy(boxes), *map(torch.from_numpy, args), H, W, **kwargs
    )
    _same(ours, theirs, atol=1e-4)


@pytest.mark.parity
@pytest.mark.parametrize("shape", [(4,), (2, 4)])
def test_crop_and_pad_match_keras(shape):
    kb = _kb()
    boxes = _boxes(shape)
    _same(converters.crop(boxes, 3, 4, 10, 12), kb.crop(boxes, 3, 4, 10, 12))
    _same(converters.pad(boxes, 3, 4), kb.pad(boxes, 3, 4))
    ints = np.array([[10, 20, 50, 60], [70, 80, 100, 120]])
    _same(converters.crop(ints, 10, 20, 40, 30), kb.crop(ints, 10, 20, 40, 30))
    top = np.array([[1.0], [2.0]], "float32")  # per-image offsets, as the layers pass them
    if len(shape) == 2:
        theirs = kb.crop(boxes, top[:, None], top[:, None] * 2, 10, 12)
        _same(
            converters.crop(
                boxes, torch.from_numpy(top[:, None]), torch.from_numpy(top[:, None] * 2), 10, 12
            ),
            theirs,
        )


@pytest.mark.parametrize("name", ["affine_transform", "crop", "pad"])
def test_geometry_only_supports_xyxy(name):
    fn = getattr(converters, name)
    z = torch.zeros(1)
    args = (z, z, z, z, z, z, 4, 4) if name == "affine_transform" else (1, 1, 4, 4)
    with pytest.raises(NotImplementedError, match=f"{name}\\(\\) supports"):
        fn(torch.zeros(1, 1, 4), *args, bounding_box_format="xywh")
