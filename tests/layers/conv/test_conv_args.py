"""The convolution argument checks: Keras's tuples, paddings and messages."""

import pytest

from kerastorch.layers.conv.conv_args import standardize_padding, standardize_tuple


def test_standardize_tuple_expands_ints_and_checks_values():
    assert standardize_tuple(3, 2, "kernel_size") == (3, 3)
    assert standardize_tuple([1, 2, 3], 3, "strides") == (1, 2, 3)
    assert standardize_tuple((0, 1), 2, "output_padding", allow_zero=True) == (0, 1)
    with pytest.raises(ValueError, match=r"must be a tuple of 2 integers\. Received strides=3, 3"):
        standardize_tuple("3, 3", 2, "strides")
    with pytest.raises(ValueError, match=r"including values \{-1\}"):
        standardize_tuple((1, -1), 2, "dilation_rate")


def test_standardize_padding_is_case_insensitive_and_guards_causal():
    assert standardize_padding("SAME") == "same"
    assert standardize_padding("Causal", allow_causal=True) == "causal"
    with pytest.raises(ValueError, match="Received: padding='causal'"):
        standardize_padding("causal")
