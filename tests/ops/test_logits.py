"""`ops.logits`: tagging a softmax/sigmoid output with its logits, and reading the tag back."""

from __future__ import annotations

import pytest
import torch

from kerastorch import activations
from kerastorch.ops.logits import attach_logits, carry_logits, logits_of


def test_attach_logits_rejects_other_activations():
    with pytest.raises(ValueError, match=r"'sigmoid' or 'softmax'.*'relu'"):
        attach_logits(torch.ones(2), torch.ones(2), "relu")


def test_logits_of_returns_the_logits_only_for_the_same_activation_and_axis():
    z = torch.randn(2, 3)
    probs = attach_logits(torch.softmax(z, 0), z, "softmax", axis=0)
    assert torch.equal(logits_of(probs, "softmax", axis=0), z)
    assert torch.equal(logits_of(probs, "softmax", axis=-2), z)  # same axis, negative form
    assert logits_of(probs, "softmax", axis=-1) is None
    assert logits_of(probs, "sigmoid") is None
    assert logits_of(torch.softmax(z, 0), "softmax", axis=0) is None  # untagged


def test_logits_of_ignores_logits_of_another_shape_and_casts_to_the_dtype():
    z = torch.zeros(3, dtype=torch.float64)
    probs = attach_logits(torch.sigmoid(z), z, "sigmoid")
    assert logits_of(probs.to(torch.float32), "sigmoid") is None  # `.to` drops the tag
    assert logits_of(attach_logits(torch.ones(3), torch.zeros(4), "sigmoid"), "sigmoid") is None
    half = attach_logits(torch.sigmoid(z).half(), z, "sigmoid")
    assert logits_of(half, "sigmoid").dtype == torch.float16


def test_carry_logits_transforms_the_logits_with_the_tensor():
    z = torch.randn(4, 1)
    probs = attach_logits(torch.sigmoid(z), z, "sigmoid")
    squeezed = carry_logits(probs, probs.squeeze(-1), lambda t: t.squeeze(-1))
    assert torch.equal(logits_of(squeezed, "sigmoid"), z.squeeze(-1))
    plain = torch.ones(3)
    assert carry_logits(plain, plain * 2, lambda t: t) is not None  # untagged: unchanged
    assert logits_of(carry_logits(plain, plain * 2, lambda t: t), "sigmoid") is None


@pytest.mark.parametrize("name", ["sigmoid", "softmax"])
def test_activations_tag_their_outputs(name):
    z = torch.randn(2, 3)
    out = getattr(activations, name)(z)
    assert logits_of(out, name) is z
