import numpy as np
import pytest
import torch

from kerastorch.common import tree
from kerastorch.common.safe_mode import SafeModeScope
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.lambda_layer import Lambda
from kerastorch.models import Model, Sequential
from kerastorch.saving import custom_object_scope
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


def double_plus_one(x):
    return x * 2 + 1


def first_columns(x, k=2):
    return x[:, :k]


def sine(x):
    return torch.sin(x)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("function", "input_shape", "output_shape"),
    [
        (double_plus_one, (2, 3), (2, 3)),
        (first_columns, (2, 5), (2, 2)),
        (sine, (2, 3, 4), (2, 3, 4)),
    ],
)
def test_lambda_with_named_function_matches_keras(function, input_shape, output_shape):
    keras_or_skip()
    with custom_object_scope({function.__name__: function}):
        check_layer(
            Lambda,
            {"function": function},
            input_shape,
            expected_output_shape=output_shape,
            expected_num_trainable_weights=0,
        )


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "keras_output_shape"),
    [
        ({"function": lambda x: x**2}, [(None, 4)]),
        ({"function": lambda x, scale: x * scale, "arguments": {"scale": 3.0}}, [(None, 4)]),
        ({"function": lambda x: torch.cat([x, x], dim=-1), "output_shape": (8,)}, [(None, 8)]),
        ({"function": lambda x: x[:, :1], "output_shape": lambda s: (s[0], 1)}, [(None, 1)]),
        ({"function": lambda x: [x, x[:, 0]]}, [(None, 4), (None,)]),
    ],
)
def test_lambda_with_python_lambda_matches_keras(kwargs, keras_output_shape):
    keras = keras_or_skip()
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    ref, ours = keras.layers.Lambda(**kwargs), Lambda(**kwargs)
    assert_close(ours(torch.from_numpy(x)), ref(keras.ops.convert_to_tensor(x)))
    ref_symbolic = keras.layers.Lambda(**kwargs)(keras.Input((4,)))
    symbolic = Lambda(**kwargs)(Input((4,)))
    shapes = [t.shape for t in tree.flatten(symbolic)]
    assert shapes == [t.shape for t in tree.flatten(ref_symbolic)]
    assert shapes == keras_output_shape
    ours_config, ref_config = ours.get_config(), ref.get_config()
    assert ours_config["function"] == ref_config["function"]
    assert {k: v for k, v in ours_config.items() if k not in ("name", "output_shape")} == {
        k: v for k, v in ref_config.items() if k not in ("name", "output_shape")
    }
    # A serialized lambda reloads (safe mode off) and computes the same numbers.
    with SafeModeScope(False):
        clone = Lambda.from_config(ours_config)
    assert_close(clone(torch.from_numpy(x)), ours(torch.from_numpy(x)))


@pytest.mark.parity
def test_lambda_config_of_lambda_is_keras_bytecode_dict():
    keras = keras_or_skip()
    offset = 3.0

    def fn_factory():
        return lambda x, y=2.0: x * y + offset

    fn = fn_factory()
    ours, ref = Lambda(fn).get_config(), keras.layers.Lambda(fn).get_config()
    assert ours["function"]["class_name"] == "__lambda__"
    assert ours["function"] == ref["function"]
    assert ours["function"]["config"]["closure"] == (3.0,)
    assert ours["function"]["config"]["defaults"] == (2.0,)


def test_lambda_from_config_refuses_lambdas_in_safe_mode():
    config = Lambda(lambda x: x + 1).get_config()
    with pytest.raises(ValueError, match="Requested the deserialization of a `Lambda` layer"):
        Lambda.from_config(config)
    layer = Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(layer(torch.ones(2)).numpy(), [2.0, 2.0])


def test_lambda_reloaded_lambda_keeps_defaults_and_closure():
    bias = torch.tensor(0.5)
    layer = Lambda(lambda x, scale=3.0: x * scale + bias)
    clone = Lambda.from_config(layer.get_config(), safe_mode=False)
    np.testing.assert_allclose(clone(torch.ones(2)).numpy(), [3.5, 3.5])


def test_lambda_named_function_serializes_by_name():
    config = Lambda(double_plus_one).get_config()
    assert config["function"]["config"] == "double_plus_one"
    with pytest.raises(TypeError, match="double_plus_one"):
        Lambda.from_config(config)
    with custom_object_scope({"double_plus_one": double_plus_one}):
        assert Lambda.from_config(config).function is double_plus_one


def test_lambda_infers_symbolic_output_shapes():
    x = Input((5, 3))
    assert Lambda(lambda t: t.sum(dim=1))(x).shape == (None, 3)
    outputs = Lambda(lambda t: [t, t[:, 0]])(x)
    assert [o.shape for o in outputs] == [(None, 5, 3), (None, 3)]
    assert Lambda(lambda t: t, output_shape=(7,))(x).shape == (None, 7)
    assert Lambda(lambda t: t, output_shape=lambda s: (s[0], 2, 2))(x).shape == (None, 2, 2)


def test_lambda_passes_mask_and_training_when_the_function_asks():
    seen = {}

    def fn(x, mask=None, training=None):
        seen["mask"], seen["training"] = mask, training
        return x

    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([True, False])
    Lambda(fn)(x, training=True)
    assert torch.equal(seen["mask"], x._keras_mask)
    assert seen["training"] is True


def test_lambda_mask_argument():
    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([True, False])
    assert not hasattr(Lambda(lambda t: t * 1)(x), "_keras_mask")
    fixed = torch.tensor([False, True])
    assert torch.equal(Lambda(lambda t: t * 1, mask=fixed)(x)._keras_mask, fixed)
    negated = Lambda(lambda t: t * 1, mask=lambda inputs, mask: ~mask)(x)
    assert torch.equal(negated._keras_mask, ~x._keras_mask)


def test_lambda_in_sequential_and_functional_models():
    seq = Sequential([Input((3,)), Lambda(double_plus_one)])
    np.testing.assert_allclose(seq(torch.zeros(1, 3)).numpy(), [[1.0, 1.0, 1.0]])
    a, b = Input((3,)), Input((3,))
    model = Model([a, b], Lambda(lambda xs: xs[0] - xs[1])([a, b]))
    out = model([torch.ones(2, 3), torch.ones(2, 3)])
    assert out.shape == (2, 3)
    assert float(out.abs().sum()) == 0


def test_lambda_rejects_non_callables():
    with pytest.raises(TypeError, match="`function` must be callable"):
        Lambda(3)
