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
