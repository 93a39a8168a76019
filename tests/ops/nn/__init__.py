"""Tests of `kerastorch/ops/nn/`."""
