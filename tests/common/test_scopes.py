"""`name_scope`, `device` and `StatelessScope`."""

import pytest
import torch

import kerastorch
from kerastorch import config
from kerastorch.common import scopes
from kerastorch.ops.conversion import convert_to_tensor


def test_name_scope_nests_deduplicates_and_validates():
    owner = object()
    assert scopes.current_path() == ""
    with kerastorch.name_scope("a"):
        with kerastorch.name_scope("b", caller=owner), kerastorch.name_scope("b", caller=owner):
            assert scopes.current_path() == "a/b"
        with kerastorch.name_scope("c", override_parent="x/y"):
            assert scopes.current_path() == "x/y/c"
    assert scopes.current_path() == ""
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        kerastorch.name_scope("a/b")


def test_device_scope_places_new_tensors_and_layers():
    with kerastorch.device("meta") as device:
        assert device == torch.device("meta")
        assert config.default_device().type == "meta"
        assert torch.zeros(2).device.type == "meta"
        assert convert_to_tensor([1.0]).device.type == "meta"
    with kerastorch.device("CPU"):
        layer = kerastorch.layers.Dense(2)
        layer.build((None, 3))
        assert layer.kernel.value.device.type == "cpu"
    assert scopes.current_device() is None
    assert scopes.device("gpu:1").device == torch.device("cuda:1")
    with pytest.raises(ValueError, match="device_name"):
        kerastorch.device(3)


def test_stateless_scope_swaps_values_and_restores():
    v = kerastorch.Variable([1.0, 2.0])
    w = kerastorch.Variable([3.0])
    with kerastorch.StatelessScope([(v, [5.0, 5.0])]) as scope:
        assert scopes.in_stateless_scope()
        assert scopes.get_stateless_scope() is scope
        assert v.value.tolist() == [5.0, 5.0]
        v.assign(v.value + 1)
        scope.add_update((w, torch.tensor([9.0])))
        scope.add_loss(torch.tensor(1.0))
    assert not scopes.in_stateless_scope()
    assert v.value.tolist() == [1.0, 2.0]
    assert scope.get_current_value(v).tolist() == [6.0, 6.0]
    assert scope.get_current_value(w).tolist() == [9.0]
    assert len(scope.losses) == 1
    with pytest.raises(ValueError, match="shape that matches"):
        kerastorch.StatelessScope([(v, [1.0])])
    with pytest.raises(ValueError, match="must be Variable instances"):
        kerastorch.StatelessScope([(3, [1.0])])


def test_symbolic_scope_is_open_while_output_shapes_are_inferred():
    seen = []

    class Probe(kerastorch.layers.Layer):
        def call(self, x):
            seen.append(scopes.in_symbolic_scope())
            return x * 2

    probe = Probe()
    out = probe(kerastorch.Input((3,)))
    assert out.shape == (None, 3)
    assert seen
    assert all(seen)  # the symbolic call traces inside the scope
    seen.clear()
    probe(torch.ones(1, 3))
    assert seen == [False]  # a real call does not
    with kerastorch.SymbolicScope() as outer:
        with scopes.SymbolicScope():
            assert scopes.in_symbolic_scope()
        assert scopes.get_symbolic_scope() is outer
    assert scopes.get_symbolic_scope() is None
