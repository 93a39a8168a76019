import pytest

from kerastorch import dtype_policies
from tests.oracle import keras_or_skip


@pytest.mark.parity
def test_dtype_policy_map_matches_keras():
    keras = keras_or_skip()
    ours = dtype_policies.DTypePolicyMap("float32")
    theirs = keras.dtype_policies.DTypePolicyMap("float32")
    for policies in (ours, theirs):
        policies["model/dense.*"] = "int8_from_float32"
        policies["model/head"] = "bfloat16"
    for path in ("model/dense_1", "model/head", "model/other"):
        assert ours[path].name == theirs[path].name
    assert ours.name == theirs.name
    assert len(ours) == len(theirs) == 2
    config = dtype_policies.serialize(ours)
    assert config["config"] == keras.dtype_policies.serialize(theirs)["config"]
    back = dtype_policies.deserialize(config)
    assert back["model/dense_2"].name == "int8_from_float32"
    with pytest.raises(ValueError, match="already exist"):
        ours["model/head"] = "float32"
