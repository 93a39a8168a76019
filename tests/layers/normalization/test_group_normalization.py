"""GroupNormalization: Keras parity across groups, axes and instance normalization."""

import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.normalization import GroupNormalization
from tests.layer_checks import check_layer


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"groups": 2}, (2, 3, 4)),
        ({"groups": 1}, (2, 6)),
        ({"groups": 3, "axis": 1}, (2, 6, 3, 2)),
        ({"groups": -1}, (2, 3, 3, 4)),  # instance normalization
        ({"groups": 2, "center": False, "epsilon": 1e-5}, (2, 5, 4)),
        ({"groups": 2, "scale": False, "beta_regularizer": "l2"}, (2, 2, 2, 2, 4)),
    ],
)
def test_group_normalization_matches_keras(kwargs, shape):
    trainable = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    result = check_layer(
        GroupNormalization,
        kwargs,
        shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=trainable,
    )
    assert result.layer.groups == shape[kwargs.get("axis", -1)] // (
        1 if kwargs["groups"] == -1 else shape[kwargs.get("axis", -1)] // kwargs["groups"]
    )


def test_group_normalization_minus_one_groups_becomes_channels_in_config():
    layer = GroupNormalization(groups=-1)
    layer(Input((5, 6)))
    assert layer.get_config()["groups"] == 6


@pytest.mark.parametrize(
    ("groups", "channels", "message"),
    [(4, 6, "must be a multiple"), (8, 4, "cannot be more than")],
)
def test_group_normalization_rejects_groups_not_dividing_channels(groups, channels, message):
    with pytest.raises(ValueError, match=message):
        GroupNormalization(groups=groups)(torch.ones(2, channels))


def test_group_normalization_rejects_bad_groups():
    with pytest.raises(ValueError, match="invalid value for argument `groups`"):
        GroupNormalization(groups=0)
