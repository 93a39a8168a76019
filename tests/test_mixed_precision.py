import pytest

from kerastorch import config, mixed_precision


@pytest.fixture(autouse=True)
def _restore_policy():
    yield
    mixed_precision.set_global_policy(None)


def test_dtype_policy_names_are_the_global_policy_functions():
    assert mixed_precision.dtype_policy is mixed_precision.global_policy
    assert mixed_precision.set_dtype_policy is mixed_precision.set_global_policy
    mixed_precision.set_dtype_policy("mixed_bfloat16")
    assert mixed_precision.dtype_policy() == mixed_precision.DTypePolicy("mixed_bfloat16")
    assert config.dtype_policy().compute_dtype == "bfloat16"
    assert mixed_precision.dtype_policy().variable_dtype == "float32"


def test_unknown_policy_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"Cannot convert 'mixed_int8'.*'mixed_bfloat16'"):
        mixed_precision.set_dtype_policy("mixed_int8")


@pytest.mark.parity
@pytest.mark.parametrize(
    "name", ["mixed_float16", "mixed_bfloat16", "float64", "int32", "bfloat16"]
)
def test_dtype_policy_dtypes_match_keras(name):
    from tests.oracle import keras_or_skip

    keras = keras_or_skip()
    ours, theirs = mixed_precision.DTypePolicy(name), keras.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype) == (
        theirs.name,
        theirs.compute_dtype,
        theirs.variable_dtype,
    )


def test_dtype_policy_rejects_non_strings():
    with pytest.raises(TypeError, match="'name' must be a string"):
        mixed_precision.DTypePolicy(3)


def test_layer_dtype_policy_is_a_policy_object():
    from kerastorch import layers

    policy = layers.Dense(2, dtype="mixed_bfloat16").dtype_policy
    assert isinstance(policy, mixed_precision.DTypePolicy)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
        "mixed_bfloat16",
        "bfloat16",
        "float32",
    )
    assert layers.Dense(2, dtype=policy).compute_dtype == "bfloat16"


def test_default_global_policy_is_made_once_per_floatx_and_set_policies_win_at_once():
    from kerastorch.trainers.step_plan import autocast_dtype

    default = mixed_precision.global_policy()
    assert default is mixed_precision.global_policy()  # kept, not remade at each call
    assert default.name == config.floatx() == "float32"
    mixed_precision.set_global_policy("mixed_float16")  # takes effect at the next call
    assert mixed_precision.global_policy().name == "mixed_float16"
    assert str(autocast_dtype()) == "torch.float16"
    mixed_precision.set_global_policy(None)
    assert mixed_precision.global_policy() is default
    assert autocast_dtype() is None
    config.set_floatx("float16")  # the default follows floatx
    try:
        assert mixed_precision.global_policy().name == "float16"
    finally:
        config.set_floatx("float32")
    assert mixed_precision.global_policy() is default
