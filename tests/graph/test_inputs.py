"""Matching a call's inputs to a functional model's `Input`s, as Keras matches them."""

import numpy as np
import pytest

import kerastorch as kt
from kerastorch.graph.inputs import standardize_inputs
from kerastorch.graph.keras_tensor import KerasTensor
from tests.oracle import keras_or_skip


def test_standardize_inputs_leaves_the_batch_size_free():
    spec = KerasTensor((3, 4))  # built on a batch of 3, as a Sequential called on data is
    assert len(standardize_inputs("m", spec, [spec], np.zeros((8, 4)))) == 1
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(8, 5\)"):
        standardize_inputs("m", spec, [spec], np.zeros((8, 5)))


@pytest.mark.parametrize("framework", ["keras", "kerastorch"])
def test_standardize_inputs_list_for_model_built_from_unsorted_dict_is_an_error(framework):
    K = keras_or_skip() if framework == "keras" else kt  # Keras's functional_test case
    x1, x2 = K.Input((10,), name="IT"), K.Input((10,), name="IS")
    model = K.Model(inputs={"IT": x1, "IS": x2}, outputs=K.layers.subtract([x1, x2]))
    ones, zeros = np.ones((1, 10), "float32"), np.zeros((1, 10), "float32")
    assert tuple(model({"IT": ones, "IS": zeros}).shape) == (1, 10)
    with pytest.raises(ValueError, match="The structure of `inputs` doesn't match the expected"):
        model([ones, zeros])
