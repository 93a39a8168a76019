import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import losses
from kerastorch.common import serialization
from kerastorch.distillation import DistillationLoss, FeatureDistillation, LogitsDistillation
from tests.oracle import assert_close, keras_or_skip

TEACHER = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "float32")
STUDENT = np.array([[2.0, 1.0, 4.0], [3.0, 6.0, 2.0]], "float32")


def _make(module, kind, loss):
    """`kind(loss=...)` with names as they are and loss instances made from `module.losses`."""
    if isinstance(loss, list):
        loss = [_make_loss(module, item) for item in loss]
    else:
        loss = _make_loss(module, loss)
    return getattr(module.distillation, kind[0])(loss=loss, **kind[1])


def _make_loss(module, loss):
    return getattr(module.losses, loss[1:])() if isinstance(loss, str) and loss[0] == "@" else loss


CASES = [  # (id, (class, kwargs), loss, multi-output)
    ("logits_default", ("LogitsDistillation", {"temperature": 3.0}), "kl_divergence", False),
    ("logits_kl_instance", ("LogitsDistillation", {"temperature": 2.0}), "@KLDivergence", False),
    ("logits_cce", ("LogitsDistillation", {"temperature": 4.0}), "categorical_crossentropy", False),
    ("logits_multi", ("LogitsDistillation", {"temperature": 2.0}), ["@KLDivergence", None], True),
    ("feature_mse", ("FeatureDistillation", {}), "mse", False),
    ("feature_cosine", ("FeatureDistillation", {}), "cosine_similarity", False),
    ("feature_multi", ("FeatureDistillation", {}), ["mse", "@MeanAbsoluteError"], True),
]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kind", "loss", "multi"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_compute_loss_and_config_match_keras(kind, loss, multi):
    keras = keras_or_skip()
    args = ([TEACHER, TEACHER * 0.5], [STUDENT, STUDENT - 1]) if multi else (TEACHER, STUDENT)
    ours = _make(kerastorch, kind, loss)
    theirs = _make(keras, kind, loss)
    torch_args = [[torch.tensor(a) for a in x] if multi else torch.tensor(x) for x in args]
    assert_close(ours.compute_loss(*torch_args), theirs.compute_loss(*torch_args))
    config = serialization.serialize_keras_object(ours)
    assert config == keras.saving.serialize_keras_object(theirs)
    restored = type(ours).from_config(config["config"])
    assert_close(restored.compute_loss(*torch_args), ours.compute_loss(*torch_args))


@pytest.mark.parity
def test_errors_match_keras():
    keras = keras_or_skip()
    bad = [
        ("LogitsDistillation", {"temperature": "a"}),
        ("LogitsDistillation", {"temperature": 0}),
        ("LogitsDistillation", {"loss": [None]}),
        ("FeatureDistillation", {"loss": None}),
    ]
    for name, kwargs in bad:
        with pytest.raises(ValueError) as theirs:
            getattr(keras.distillation, name)(**kwargs)
        with pytest.raises(ValueError) as ours:
            getattr(kerastorch.distillation, name)(**kwargs)
        assert str(ours.value) == str(theirs.value)


def test_validate_outputs_checks_the_structure():
    teacher, student = torch.tensor(TEACHER), torch.tensor(STUDENT)
    LogitsDistillation(temperature=3.0).validate_outputs(teacher, student)
    with pytest.raises(ValueError):
        LogitsDistillation(temperature=3.0).validate_outputs(teacher, {"output": teacher})
    FeatureDistillation(loss="mse").validate_outputs(teacher, student)
    with pytest.raises(ValueError):
        FeatureDistillation(loss="mse").validate_outputs(teacher, [teacher, teacher])
    with pytest.raises(ValueError, match="Loss structure mismatch"):
        FeatureDistillation(loss=["mse", "mae"]).validate_outputs(teacher, student)


def test_base_class_and_unknown_loss():
    with pytest.raises(NotImplementedError, match="Subclasses must implement compute_loss"):
        DistillationLoss().compute_loss(TEACHER, STUDENT)
    assert DistillationLoss().validate_model_compatibility(None, None) is None
    with pytest.raises(ValueError, match="nonexistent"):
        LogitsDistillation(loss="nonexistent")


def test_skipped_outputs_add_nothing():
    teacher, student = torch.tensor(TEACHER), torch.tensor(STUDENT)
    both = FeatureDistillation(loss=["mse", None]).compute_loss(
        [teacher, teacher], [student, teacher]
    )
    assert_close(both, FeatureDistillation(loss="mse").compute_loss(teacher, student))
    assert isinstance(FeatureDistillation(loss=losses.MeanSquaredError()).loss, losses.Loss)
