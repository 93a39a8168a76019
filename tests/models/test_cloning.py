"""clone_model: same architecture, new weights."""

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.models import clone_model


def _weights_differ(a, b):
    return any(
        not np.allclose(x, y)
        for x, y in zip(a.get_weights(), b.get_weights(), strict=False)
        if x.size > 1
    )


def test_clone_sequential_has_new_weights_and_same_structure():
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(3, activation="relu"),
                           kt.layers.Dense(1)], name="s")  # fmt: skip
    clone = clone_model(model)
    assert clone is not model
    assert clone.name == "s"
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers, strict=False))
    assert clone.count_params() == model.count_params()
    assert _weights_differ(clone, model)
    clone.set_weights(model.get_weights())
    x = torch.randn(2, 4)
    assert torch.allclose(clone(x), model(x))


def test_clone_functional_with_operations_and_clone_function():
    a, b = kt.Input((4,), name="a"), kt.Input((2,), name="b")
    h = kt.layers.Concatenate()([kt.layers.Dense(3)(a) * 2.0, b])
    model = kt.Model([a, b], kt.layers.Dense(1)(h))
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        return layer.__class__.from_config(layer.get_config())

    clone = clone_model(model, clone_function=clone_function)
    assert seen == ["dense", "concatenate", "dense_1"]
    clone.set_weights(model.get_weights())
    x = [torch.randn(2, 4), torch.randn(2, 2)]
    assert torch.allclose(clone(x), model(x))


def test_clone_functional_on_new_inputs_and_errors():
    x = kt.Input((3,))
    model = kt.Model(x, kt.layers.Dense(2)(x))
    new_input = kt.Input((3,), name="new")
    clone = clone_model(model, input_tensors=new_input)
    assert clone.input_names == ["new"]
    with pytest.raises(ValueError, match="has 1 inputs, but `input_tensors` holds 2"):
        clone_model(model, input_tensors=[kt.Input((3,)), kt.Input((3,))])
    with pytest.raises(ValueError, match="Arguments not recognized"):
        clone_model(model, bogus=1)


def test_clone_call_function_and_recursive_nested_model():
    inner_x = kt.Input((3,))
    inner = kt.Model(inner_x, kt.layers.Dense(3)(inner_x))
    x = kt.Input((3,))
    model = kt.Model(x, kt.layers.Dense(1)(inner(x)))
    calls = []

    def call_function(layer, *args, **kwargs):
        calls.append(type(layer).__name__)
        return layer(*args, **kwargs)

    clone = clone_model(model, call_function=call_function, recursive=True)
    assert calls == ["Functional", "Dense"]
    assert clone.layers[1] is not inner
    assert clone.count_params() == model.count_params()


@pytest.mark.parametrize("functional", [False, True])
def test_clone_of_a_compiled_model_is_compiled_the_same_way(functional):
    inp = kt.Input((3,))
    if functional:
        model = kt.Model(inp, kt.layers.Dense(2)(inp))
    else:
        model = kt.Sequential([inp, kt.layers.Dense(2)])
    model.compile(optimizer=kt.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    clone = clone_model(model)
    assert clone.compiled
    assert clone.optimizer is not model.optimizer
    assert clone.get_compile_config() == model.get_compile_config()
    logs = clone.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0).history
    assert sorted(logs) == ["loss", "mae"]
    assert clone_model(kt.Sequential([inp])).compiled is False
