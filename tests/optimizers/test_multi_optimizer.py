import pytest
import torch

import kerastorch.optimizers as kto
from kerastorch.variables import Variable
from tests.optimizers.keras_files import check_keras_file_round_trip
from tests.optimizers.parity import ATOL, RTOL, random_case
from tests.oracle import assert_close, keras_or_skip, to_numpy

PATHS = ["encoder/dense/kernel", "encoder/dense/bias", "head/kernel"]


def _variables(init: list) -> list[Variable]:
    """kerastorch Variables with Keras-like paths over the arrays `init`."""
    module = torch.nn.Module()
    variables = []
    for i, (x, path) in enumerate(zip(init, PATHS, strict=True)):
        module.register_parameter(f"p{i}", torch.nn.Parameter(torch.tensor(x)))
        variables.append(Variable(module, f"p{i}", path.rsplit("/", 1)[1], path=path))
    return variables


def _keras_variables(keras, init: list) -> list:
    variables = [
        keras.Variable(x, name=p.rsplit("/", 1)[1]) for x, p in zip(init, PATHS, strict=True)
    ]
    for variable, path in zip(variables, PATHS, strict=True):
        variable._path = path
    return variables


def _multi(lib, **kwargs):
    opt_map = lib.optimizers.OptimizerMap(
        lib.optimizers.Adam(learning_rate=0.01, name="adam"),
        {"encoder/.*": lib.optimizers.SGD(learning_rate=0.1, momentum=0.5, name="sgd")},
    )
    return lib.optimizers.MultiOptimizer(opt_map, **kwargs)


@pytest.mark.parity
def test_multi_optimizer_matches_keras():
    import kerastorch

    keras = keras_or_skip()
    init, grads = random_case(0, 4, shapes=[(3, 4), (4,), (4, 2)])
    reference, ours, fast = (
        _multi(lib, loss_scale_factor=4.0, name="multi") for lib in (keras, kerastorch, kerastorch)
    )
    keras_vars, our_vars, fast_vars = (
        _keras_variables(keras, init),
        _variables(init),
        _variables(init),
    )
    fast.build(fast_vars)
    for step_grads in grads:
        step_grads = [g * 4.0 for g in step_grads]
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
        ours.apply(step_grads, our_vars)
        for v, g in zip(fast_vars, step_grads, strict=True):
            v.tensor.grad = torch.tensor(g)
        fast.step()
        expected = [to_numpy(v.value) for v in keras_vars]
        assert_close([v.numpy() for v in our_vars], expected, atol=ATOL, rtol=RTOL)
        assert_close([v.numpy() for v in fast_vars], expected, atol=ATOL, rtol=RTOL)
    assert [o.name for o in ours.optimizers] == [o.name for o in reference.optimizers]
    for opt in (ours, fast):
        assert [v.name for v in opt.variables] == [v.name for v in reference.variables]
        assert_close([v.numpy() for v in opt.variables], [to_numpy(v) for v in reference.variables])
        assert int(opt.iterations) == 4
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        ours.learning_rate


@pytest.mark.parity
def test_multi_optimizer_config_and_state_round_trip_with_keras():
    import kerastorch

    keras = keras_or_skip()
    reference, ours = _multi(keras, name="multi"), _multi(kerastorch, name="multi")

    def comparable(config):
        def strip(obj):  # Keras names its torch backend's modules for built-in optimizers
            if isinstance(obj, dict):
                return {
                    k: strip(v) for k, v in obj.items() if k not in ("module", "registered_name")
                }
            return obj

        return strip(config)

    assert comparable(ours.get_config()) == comparable(reference.get_config())
    clone = kto.deserialize(kto.serialize(ours))
    assert comparable(clone.get_config()) == comparable(ours.get_config())
    theirs = keras.optimizers.deserialize(kto.serialize(ours))
    assert comparable(theirs.get_config()) == comparable(ours.get_config())
    # Keras's saved state (`.keras` layout) loads here and the next step agrees.
    init, grads = random_case(1, 3, shapes=[(3, 4), (4,), (4, 2)])
    keras_vars = _keras_variables(keras, init)
    for step_grads in grads[:2]:
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
    store = {}
    reference.save_own_variables(store)
    variables = _variables([to_numpy(v.value) for v in keras_vars])
    clone.build(variables)
    clone.load_own_variables({k: to_numpy(v) for k, v in store.items()})
    reference.apply([torch.tensor(g) for g in grads[2]], keras_vars)
    clone.apply(grads[2], variables)
    expected = [to_numpy(v.value) for v in keras_vars]
    assert_close([v.numpy() for v in variables], expected, atol=ATOL, rtol=RTOL)
    weights = [v.numpy() for v in clone.variables]
    clone.set_weights(weights)
    assert_close([v.numpy() for v in clone.variables], weights)


def test_multi_optimizer_with_a_callable_and_its_refusals():
    init, _ = random_case(2, 0, shapes=[(3, 4), (4,), (4, 2)])
    sgd = kto.SGD(learning_rate=1.0)
    opt = kto.MultiOptimizer(lambda v: sgd if v.name == "bias" else kto.Adam(), loss_scale_factor=2)
    variables = _variables(init)
    before = variables[1].numpy()
    opt.apply([torch.zeros(3, 4), torch.full((4,), 2.0), torch.zeros(4, 2)], variables)
    assert_close(variables[1].numpy(), before - 1.0)  # SGD, gradient unscaled by 2
    assert len(opt.optimizers) == 3
    assert all(o.loss_scale_factor == 2 for o in opt.optimizers)
    for inner, message in [
        (kto.LossScaleOptimizer(kto.SGD()), "LossScaleOptimizer cannot be used inside"),
        ("sgd", "is not an Optimizer instance"),
    ]:
        with pytest.raises(ValueError, match=message):
            kto.MultiOptimizer(lambda v, inner=inner: inner).build(_variables(init))


def test_optimizer_map_lookup_and_refusals():
    adam, sgd = kto.Adam(), kto.SGD()
    opt_map = kto.OptimizerMap(adam, {"a/.*": sgd, "a/b.*": sgd})
    assert opt_map["c"] is adam
    assert opt_map["a/x"] is sgd
    del opt_map["a/b.*"]
    assert opt_map["a/bc"] is sgd
    assert list(opt_map) == ["a/.*"]
    opt_map["a/b.*"] = sgd
    with pytest.raises(ValueError, match="Multiple optimizers assigned to variable a/bc"):
        opt_map["a/bc"]
    with pytest.raises(ValueError, match=r"'a/\.\*' already exists in the OptimizerMap"):
        opt_map["a/.*"] = adam
    with pytest.raises(ValueError, match="optimizer cannot be LossScaleOptimizer"):
        opt_map["x"] = kto.LossScaleOptimizer(kto.SGD())
    with pytest.raises(TypeError, match="default_optimizer must be a Keras Optimizer"):
        kto.OptimizerMap("adam")
    with pytest.raises(TypeError, match="maps variables by their `path`"):
        opt_map(torch.zeros(2))


@pytest.mark.parity
def test_multi_optimizer_state_moves_both_ways_in_keras_files(tmp_path):
    def make(lib):
        sgd = lib.optimizers.SGD(momentum=0.5)
        return lib.optimizers.MultiOptimizer(
            lib.optimizers.OptimizerMap(lib.optimizers.Adam(), {".*bias": sgd})
        )

    check_keras_file_round_trip(make, str(tmp_path))
