"""Every family under the `mixed_bfloat16` policy, and the cheapest ones under `torch.compile`.

Under a mixed policy kerastorch computes inside `torch.autocast` (`fit`, `evaluate` and
`predict` open it; a direct `model(x)` opens it at its outermost call): each family, built
without weights at a small input, gives finite bfloat16 outputs (the dtype of its symbolic
output, and of Keras's) with float32 weights.
`torch.compile` of MobileNetV3Small and MobileNet captures each model as one graph and gives
eager's outputs.
"""

import importlib

import numpy as np
import pytest
import torch

from kerastorch import mixed_precision
from tests.oracle import assert_close, keras_or_skip

# (module, constructor, its own arguments, input size): the smallest variant of each family.
FAMILIES = [
    ("convnext", "ConvNeXtTiny", {}, 32),
    ("densenet", "DenseNet121", {}, 32),
    ("efficientnet", "EfficientNetB0", {}, 32),
    ("efficientnet_v2", "EfficientNetV2B0", {}, 32),
    ("inception_resnet_v2", "InceptionResNetV2", {}, 75),
    ("inception_v3", "InceptionV3", {}, 75),
    ("mobilenet", "MobileNet", {"alpha": 0.25}, 32),
    ("mobilenet_v2", "MobileNetV2", {"alpha": 0.35}, 32),
    ("mobilenet_v3", "MobileNetV3Small", {"alpha": 0.75}, 32),
    ("nasnet", "NASNetMobile", {}, 32),
    ("resnet", "ResNet50", {}, 32),
    ("resnet_v2", "ResNet50V2", {}, 32),
    ("vgg16", "VGG16", {}, 32),
    ("xception", "Xception", {}, 71),
]
FAMILY_IDS = [family[1] for family in FAMILIES]


def _build(module, name, kwargs, size):
    constructor = getattr(importlib.import_module(f"kerastorch.applications.{module}"), name)
    return constructor(weights=None, input_shape=(size, size, 3), classes=7, **kwargs)


def _images(size):
    return torch.from_numpy(np.random.default_rng(0).uniform(0, 255, (1, size, size, 3))).float()


@pytest.fixture
def mixed_bfloat16():
    before = mixed_precision.global_policy()
    mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        yield
    finally:
        mixed_precision.set_global_policy(before)


@pytest.mark.usefixtures("mixed_bfloat16")
@pytest.mark.parametrize(("module", "name", "kwargs", "size"), FAMILIES, ids=FAMILY_IDS)
def test_mixed_bfloat16_forward(module, name, kwargs, size):
    model = _build(module, name, kwargs, size)
    assert model.output.dtype == "bfloat16"
    with torch.no_grad():
        out = model(_images(size), training=False)  # opens torch.autocast itself
    assert out.dtype == torch.bfloat16
    assert tuple(out.shape) == (1, 7)
    assert torch.isfinite(out).all()
    assert {w.dtype for w in model.weights} - {"int32"} == {"float32"}  # int32: counters


@pytest.mark.parity
@pytest.mark.usefixtures("mixed_bfloat16")
def test_mixed_bfloat16_output_dtype_matches_keras():
    keras = keras_or_skip()
    before = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        theirs = keras.applications.MobileNetV3Small(
            weights=None, input_shape=(32, 32, 3), classes=7, alpha=0.75
        )
        expected = theirs(_images(32), training=False).dtype
    finally:
        keras.mixed_precision.set_global_policy(before)
    ours = _build("mobilenet_v3", "MobileNetV3Small", {"alpha": 0.75}, 32)
    assert ours.output.dtype == theirs.output.dtype
    with torch.no_grad():
        assert ours(_images(32), training=False).dtype == expected


@pytest.mark.parametrize(
    ("module", "name", "kwargs"),
    [
        ("mobilenet_v3", "MobileNetV3Small", {"minimalistic": True}),
        ("mobilenet", "MobileNet", {"alpha": 0.25}),
    ],
    ids=["MobileNetV3Small", "MobileNet"],
)
def test_torch_compile_matches_eager(module, name, kwargs):
    model = _build(module, name, kwargs, 32)
    model.eval()
    x = _images(32)
    compiled = torch.compile(model, backend="aot_eager", fullgraph=True)
    with torch.no_grad():
        assert_close(compiled(x, training=False), model(x, training=False), atol=1e-4, rtol=1e-4)
