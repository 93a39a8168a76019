"""Symbolic shape inference: the meta device first, real CPU zeros where it cannot run."""

import pytest
import torch

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.tracing import compute_output_spec_by_tracing
from kerastorch.layers import BatchNormalization, Dense, Input, Layer
from kerastorch.models import Model


class AddsCpuOnes(Layer):
    """A `call` that creates a CPU tensor: the meta device cannot run it."""

    def call(self, x):
        return x + torch.ones(x.shape[-1])


class NormThenCpuOnes(Layer):
    """BatchNorm in training mode, then a CPU tensor: the fallback must leave the moving
    statistics as they were."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.norm = BatchNormalization()

    def call(self, x):
        y = self.norm(x + 5.0, training=True)
        return y + torch.ones(x.shape[-1])


def test_tracing_falls_back_to_cpu_when_meta_cannot_run():
    x = Input((None, 3))
    y = AddsCpuOnes()(x)
    assert y.shape == (None, None, 3)
    model = Model(x, Dense(2)(y))
    assert model(torch.zeros(2, 4, 3)).shape == (2, 4, 2)


def test_tracing_fallback_leaves_batchnorm_statistics_untouched():
    layer = NormThenCpuOnes()
    layer(torch.zeros(2, 3))  # built: moving statistics exist
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    spec = compute_output_spec_by_tracing(layer, (KerasTensor((None, 3)),), {})
    assert spec.shape == (None, 3)
    assert all(torch.equal(before[k], v) for k, v in layer.state_dict().items())


def test_tracing_error_on_both_devices_names_the_layer():
    class Broken(Layer):
        def call(self, x):
            return x @ torch.ones(7, 2)  # wrong inner size, on any device

    with pytest.raises(ValueError, match="Exception encountered when calling layer 'broken"):
        Broken()(Input((3,)))
