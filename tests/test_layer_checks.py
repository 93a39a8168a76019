"""The harness must fail loudly when a layer is wrong: these tests feed it wrong layers."""

import pytest
import torch

from kerastorch.layers.activations.leaky_relu import LeakyReLU
from kerastorch.layers.activations.relu import ReLU
from kerastorch.layers.layer import Layer
from kerastorch.layers.merging.add import Add
from tests.layer_checks import check_layer, make_inputs
from tests.oracle import keras_or_skip


class _Lookup(Layer):
    """An Embedding-like layer: integer inputs, one weight."""

    def build(self, input_shape):
        self.table = self.add_weight(shape=(5, 3), name="embeddings")

    def call(self, inputs):
        return self.table.value[inputs]


class _Unused(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), name="unused")

    def call(self, inputs):
        return inputs * 2


def test_check_layer_runs_integer_inputs():
    result = check_layer(
        _Lookup,
        {},
        (2, 4),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=1,
        input_dtype="int64",
        input_range=(0, 5),
        compare_with_keras=False,
    )
    assert result.inputs.dtype == "int64"
    assert result.inputs.max() < 5


def test_check_layer_runs_list_inputs():
    result = check_layer(Add, {}, [(2, 3), (2, 3)], expected_output_shape=(2, 3))
    assert len(result.inputs) == 2


def test_make_inputs_kinds():
    floats, ints, bools = make_inputs([(2, 3)] * 3, ["float32", "int32", "bool"], (3, 4))
    assert floats.dtype == "float32"
    assert set(ints.flatten().tolist()) == {3}
    assert bools.dtype == bool


def test_check_layer_catches_a_wrong_expected_shape():
    with pytest.raises(AssertionError, match="eager output shapes"):
        check_layer(ReLU, {}, (2, 3), expected_output_shape=(2, 4))


def test_check_layer_catches_a_wrong_weight_count():
    with pytest.raises(AssertionError, match="#trainable"):
        check_layer(ReLU, {}, (2, 3), expected_num_trainable_weights=1)


def test_check_layer_catches_a_weight_without_gradient():
    with pytest.raises(AssertionError, match="no gradient reached trainable weight 'unused'"):
        check_layer(_Unused, {}, (2, 3), compare_with_keras=False)


@pytest.mark.parity
def test_check_layer_catches_outputs_that_differ_from_keras():
    keras_or_skip()

    class ReLU2(ReLU):
        def call(self, inputs):
            return torch.relu(inputs) * 1.001

    with pytest.raises(AssertionError, match="output vs Keras"):
        check_layer(ReLU2, {}, (2, 3), keras_cls_name="ReLU")


@pytest.mark.parity
def test_check_layer_catches_configs_that_differ_from_keras():
    keras_or_skip()

    class LeakyReLU2(LeakyReLU):
        def get_config(self):  # forgets an argument: round-trips, but differs from Keras
            config = super().get_config()
            del config["negative_slope"]
            return config

    with pytest.raises(AssertionError, match=r"get_config\(\) vs Keras"):
        check_layer(LeakyReLU2, {}, (2, 3), keras_cls_name="LeakyReLU")
