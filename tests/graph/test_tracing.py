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


def test_symbolic_call_of_a_model_reachable_twice_keeps_its_weights():
    """A model and a feature extractor over it inside one subclassed model: tracing swaps
    meta tensors in through two paths and must put every weight back."""
    import kerastorch as keras

    inp = keras.Input((4,))
    out = keras.layers.Dense(2, name="o")(keras.layers.Dense(3, name="h")(inp))
    model = keras.Model(inp, out)
    extractor = keras.Model(model.inputs, [model.get_layer("h").output, model.output])

    class Both(keras.Model):
        def __init__(self):
            super().__init__()
            self.model, self.extractor = model, extractor

        def call(self, x):
            return self.extractor(x)[1] + self.model(x)

    symbolic = Both()(keras.Input((4,)))
    assert tuple(symbolic.shape) == (None, 2)
    assert {p.device.type for p in model.parameters()} == {"cpu"}
    assert model(torch.ones(1, 4)).shape == (1, 2)
