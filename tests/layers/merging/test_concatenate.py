import numpy as np
import pytest
import torch

from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.merging.concatenate import Concatenate, concatenate
from kerastorch.models import Model, Sequential
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("axis", "input_shapes", "output_shape"),
    [
        (-1, [(2, 3), (2, 4)], (2, 7)),
        (1, [(2, 3, 4), (2, 5, 4)], (2, 8, 4)),
        (-2, [(2, 3, 4), (2, 1, 4), (2, 2, 4)], (2, 6, 4)),
        (2, [(2, 3, 1), (2, 3, 2)], (2, 3, 3)),
    ],
)
def test_concatenate_matches_keras(axis, input_shapes, output_shape):
    keras_or_skip()
    check_layer(
        Concatenate,
        {"axis": axis},
        input_shapes,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=0,
    )


@pytest.mark.parity
def test_concatenate_integer_inputs_match_keras():
    keras_or_skip()
    check_layer(Concatenate, {}, [(2, 3), (2, 2)], input_dtype="int32", run_backward=False)


def test_concatenate_function_form():
    a, b = Input((4, 5)), Input((4, 3))
    out = concatenate([a, b], axis=-1, name="cat")
    assert out.shape == (None, 4, 8)
    assert out._keras_history.layer.get_config()["axis"] == -1
    model = Model([a, b], out)
    x, y = torch.randn(2, 4, 5), torch.randn(2, 4, 3)
    assert torch.equal(model([x, y]), torch.cat([x, y], dim=-1))


def test_concatenate_unknown_sizes_stay_unknown():
    assert Concatenate(axis=1)([Input((None, 3)), Input((2, 3))]).shape == (None, None, 3)


@pytest.mark.parity
def test_concatenate_mismatch_error_is_keras_message():
    keras = keras_or_skip()
    message = (
        "A `Concatenate` layer requires inputs with matching shapes except for the "
        "concatenation axis. Received: input_shape=[(None, 4, 5), (None, 3, 6)]"
    )
    with pytest.raises(ValueError) as ours:
        Concatenate()([Input((4, 5)), Input((3, 6))])
    assert str(ours.value) == message
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        keras.layers.Concatenate()([keras.Input((4, 5)), keras.Input((3, 6))])


def test_concatenate_rank_mismatch_raises():
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        Concatenate()([Input((4, 5)), Input((5,))])


def test_concatenate_rejects_a_single_tensor():
    with pytest.raises(ValueError, match="should be called on a list of at least 1 input"):
        Concatenate()(Input((3,)))


@pytest.mark.parity
@pytest.mark.parametrize("masked", [(True, True), (True, False)])
def test_concatenate_masks_match_keras(masked):
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 4, 3)).astype("float32") for _ in range(2)]
    masks = [(rng.random((2, 4)) > 0.5) if m else None for m in masked]
    ours_in, ref_in = [], []
    for array, mask in zip(arrays, masks, strict=True):
        t, r = torch.from_numpy(array), keras.ops.convert_to_tensor(array)
        if mask is not None:
            t._keras_mask = r._keras_mask = torch.from_numpy(mask)
        ours_in.append(t)
        ref_in.append(r)
    expected = keras.layers.Concatenate()(ref_in)
    actual = Concatenate()(ours_in)
    assert_close(actual, expected)
    assert torch.equal(actual._keras_mask, expected._keras_mask.cpu())


def test_concatenate_in_sequential_is_refused_for_single_inputs():
    with pytest.raises(ValueError, match="Concatenate"):
        Sequential([Input((3,)), Concatenate()])


def test_concatenate_eager_numpy_inputs_and_masks_match_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    x1, x2 = rng.random((2, 4, 5)), rng.random((2, 4, 3))
    m1, m2 = np.ones((2, 4), dtype=bool), rng.random((2, 4)) > 0.5
    ours, theirs = Concatenate(), keras.layers.Concatenate()
    assert_close(ours([x1, x2]), theirs([x1, x2]))
    assert_close(concatenate([x1, x2]), keras.layers.concatenate([x1, x2]))
    assert_close(ours.compute_mask([x1, x2], [m1, m2]), theirs.compute_mask([x1, x2], [m1, m2]))
    assert_close(ours.compute_mask([x1, x2], [m1, None]), theirs.compute_mask([x1, x2], [m1, None]))
