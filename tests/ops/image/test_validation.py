"""The argument checks shared by the image ops: messages name the op and the argument."""

from __future__ import annotations

import pytest
import torch

from kerastorch.ops.image.validation import check_choice, check_float, check_rank


def test_check_rank_accepts_images_and_batches_only():
    check_rank("op", torch.zeros(2, 2, 1))
    check_rank("op", torch.zeros(1, 2, 2, 1))
    with pytest.raises(ValueError, match=r"^op: Invalid image1 rank.*image1.shape=\(2,\)"):
        check_rank("op", torch.zeros(2), "image1")


def test_check_choice_lists_the_allowed_values():
    check_choice("op", "mode", "a", ("a", "b"))
    with pytest.raises(ValueError, match=r"^op: .*`mode`.*\('a', 'b'\).*mode='c'"):
        check_choice("op", "mode", "c", ("a", "b"))


def test_check_float_names_the_dtype():
    check_float("op", torch.zeros(1, dtype=torch.float16))
    with pytest.raises(ValueError, match=r"^op: Invalid images dtype.*uint8"):
        check_float("op", torch.zeros(1, dtype=torch.uint8))
