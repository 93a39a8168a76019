"""The update step (optimizers/optimizer.py): the Keras API, the fast `step()`, constraints,
EMA and gradient accumulation, against Keras."""

import numpy as np
import pytest
import torch

import kerastorch
import kerastorch.optimizers as kto
from tests.optimizers.parity import (
    apply_both,
    build_pair,
    linear_variables,
    parameters,
    random_case,
)
from tests.oracle import assert_close, keras_or_skip, to_numpy

_HOST_READS = ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__")


# -- the Keras API and layouts -----------------------------------------------------------------
@pytest.mark.parity
def test_optimizer_updates_keras_layout_variables_through_their_torch_storage():
    keras = keras_or_skip()
    rng = np.random.default_rng(5)
    kernel0, bias0 = rng.normal(size=(3, 2)).astype("float32"), np.zeros(2, "float32")
    keras_vars = [keras.Variable(kernel0), keras.Variable(bias0)]
    reference = keras.optimizers.Adam(learning_rate=0.1)
    linear, fast_linear = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    ours, fast = linear_variables(linear), linear_variables(fast_linear)
    for variables in (ours, fast):
        variables[0].assign(kernel0)
        variables[1].assign(bias0)
    opt, fast_opt = kto.Adam(learning_rate=0.1), kto.Adam(learning_rate=0.1)
    for _ in range(3):
        grads = [rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")]
        apply_both(reference, opt, keras_vars, ours, grads)  # Keras layout
        fast_linear.weight.grad = torch.tensor(grads[0]).T.contiguous()  # torch layout
        fast_linear.bias.grad = torch.tensor(grads[1])
        fast_opt.step(fast)
    expected = [to_numpy(v.value) for v in keras_vars]
    assert_close([v.numpy() for v in ours], expected, atol=1e-6, rtol=1e-6)
    assert_close([v.numpy() for v in fast], expected, atol=1e-6, rtol=1e-6)
    # The state is exposed in Keras layout too.
    assert [v.shape for v in opt.variables] == [tuple(v.shape) for v in reference.variables]
    assert_close([v.numpy() for v in opt.variables], [to_numpy(v) for v in reference.variables])


def test_optimizer_apply_rejects_torch_layout_gradients_with_a_hint():
    linear = torch.nn.Linear(3, 2)
    opt = kto.SGD()
    with pytest.raises(ValueError, match=r"Keras layout\) shape \(3, 2\); received shape \(2, 3\)"):
        opt.apply([torch.ones(2, 3), torch.ones(2)], linear_variables(linear))


def test_optimizer_apply_skips_missing_gradients_with_keras_warning():
    params = parameters()
    before = params[1].detach().clone()
    opt = kto.SGD(learning_rate=0.1)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['1'\]"):
        opt.apply([torch.ones(3, 4), None], params)
    assert torch.equal(params[1].detach(), before)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply([None, None], params)


def test_optimizer_apply_refuses_unknown_variables():
    opt = kto.SGD()
    opt.build(parameters())
    with pytest.raises(ValueError, match="can only be called for the variables it was originally"):
        opt.apply([torch.ones(2)], [torch.nn.Parameter(torch.zeros(2))])


def test_optimizer_apply_without_variables_needs_a_built_optimizer():
    with pytest.raises(ValueError, match=r"Call `optimizer.build\(trainable_variables\)` first"):
        kto.SGD().apply([torch.ones(2)])


@pytest.mark.parity
def test_optimizer_applies_a_subset_of_variables_like_keras():
    keras = keras_or_skip()
    init, grads = random_case(6, 3)
    reference, ours = build_pair("Adam", {"learning_rate": 0.1, "weight_decay": 0.1})
    keras_vars = [keras.Variable(x) for x in init]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    reference.build(keras_vars)
    ours.build(our_vars)
    for step_grads in grads:  # only the first and last variables get gradients
        reference.apply(
            [torch.tensor(step_grads[0]), torch.tensor(step_grads[2])],
            [keras_vars[0], keras_vars[2]],
        )
        ours.apply([step_grads[0], step_grads[2]], [our_vars[0], our_vars[2]])
    assert_close(our_vars, [to_numpy(v.value) for v in keras_vars], atol=1e-6, rtol=1e-6)


def test_optimizer_accepts_new_views_of_built_variables():
    linear = torch.nn.Linear(2, 2)
    opt = kto.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.build(linear_variables(linear))
    opt.exclude_from_weight_decay(var_list=[linear_variables(linear)[1]])  # a fresh view
    before = [linear.weight.detach().clone(), linear.bias.detach().clone()]
    linear.weight.grad, linear.bias.grad = torch.zeros(2, 2), torch.zeros(2)
    opt.step(linear_variables(linear))  # fresh views again: matched by their storage
    torch.testing.assert_close(linear.weight.detach(), before[0] * (1 - 0.5 * 0.1))
    torch.testing.assert_close(linear.bias.detach(), before[1])


# -- the fast path -----------------------------------------------------------------------------
def test_optimizer_step_skips_variables_without_gradient():
    params = parameters()
    before = [p.detach().clone() for p in params]
    opt = kto.SGD(learning_rate=0.1)
    opt.build(params)
    params[1].grad = torch.ones(4)
    opt.step()
    assert torch.equal(params[0].detach(), before[0])
    torch.testing.assert_close(params[1].detach(), before[1] - 0.1)
    assert int(opt.iterations) == 1


def test_optimizer_step_needs_variables_before_it_is_built():
    with pytest.raises(ValueError, match=r"Optimizer 'sgd' is not built"):
        kto.SGD().step()


def test_optimizer_step_leaves_gradients_untouched_and_zero_grad_resets_them():
    params = parameters()
    grads = [torch.full_like(p, 10.0) for p in params]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.clone()
    opt = kto.SGD(clipnorm=1.0, loss_scale_factor=2.0)
    opt.step(params)
    assert all(torch.equal(p.grad, g) for p, g in zip(params, grads, strict=True))
    opt.zero_grad()
    assert all(p.grad is None for p in params)


@pytest.mark.parametrize(
    "make",
    [
        lambda: kto.SGD(learning_rate=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        lambda: kto.Adam(
            learning_rate=kto.schedules.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=3),
            use_ema=True,
            ema_overwrite_frequency=4,
            gradient_accumulation_steps=2,
            weight_decay=0.01,
            global_clipnorm=1.0,
            amsgrad=True,
        ),
        lambda: kto.RMSprop(centered=True, momentum=0.5, clipnorm=1.0),
        lambda: kto.Nadam(loss_scale_factor=4.0),
        lambda: kto.Lamb(clipvalue=0.5),
        lambda: kto.Ftrl(l1_regularization_strength=0.01, beta=0.1),
        lambda: kto.Adadelta(),
        lambda: kto.Adagrad(),
        lambda: kto.Adamax(),
        lambda: kto.Lion(),
        lambda: kto.SGD(learning_rate=kto.schedules.PiecewiseConstantDecay([3], [0.1, 0.01])),
    ],
)
def test_optimizer_step_never_reads_device_values_on_the_host(monkeypatch, make):
    params = parameters()
    opt = make()
    opt.build(params)
    reads = []
    for name in _HOST_READS:
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            reads.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counted)
    for _ in range(10):
        for p in params:
            p.grad = torch.ones_like(p)
        opt.step()
    monkeypatch.undo()
    assert reads == []
    assert int(opt.iterations) == (5 if opt.gradient_accumulation_steps else 10)


# -- constraints, EMA, accumulation ------------------------------------------------------------
def test_optimizer_applies_variable_constraints_after_the_update():
    linear = torch.nn.Linear(2, 2)
    kernel, bias = linear_variables(linear, constraint=lambda w: torch.clamp(w, min=0.0))
    opt = kto.SGD(learning_rate=10.0)
    linear.weight.grad, linear.bias.grad = torch.ones(2, 2), torch.ones(2)
    opt.step([kernel, bias])
    assert kernel.numpy().min() == 0.0  # pushed below zero, then projected
    assert bias.numpy().max() < 0.0  # no constraint on the bias


def test_optimizer_applies_constraints_set_on_plain_parameters():
    param = torch.nn.Parameter(torch.ones(3))
    param.constraint = lambda w: w / torch.linalg.vector_norm(w)
    kto.SGD(learning_rate=1.0).apply([torch.tensor([1.0, 0.0, 0.0])], [param])
    torch.testing.assert_close(torch.linalg.vector_norm(param.detach()), torch.tensor(1.0))


@pytest.mark.parity
def test_optimizer_constraint_matches_keras():
    keras = keras_or_skip()
    init, grads = random_case(7, 3, shapes=[(3, 2)])
    reference = keras.optimizers.SGD(learning_rate=0.5)
    keras_var = keras.Variable(init[0])
    keras_var.constraint = keras.constraints.NonNeg()
    linear = torch.nn.Linear(3, 2)
    ours = linear_variables(linear, constraint=lambda w: w * (w >= 0).to(w.dtype))[0]
    ours.assign(init[0])
    opt = kto.SGD(learning_rate=0.5)
    for (grad,) in grads:
        reference.apply_gradients([(torch.tensor(grad), keras_var)])
        opt.apply_gradients([(grad, ours)])
    assert_close(ours.numpy(), to_numpy(keras_var.value), atol=1e-6, rtol=1e-6)


@pytest.mark.parity
def test_optimizer_finalize_variable_values_and_swap_match_keras_ema():
    keras = keras_or_skip()
    init, grads = random_case(8, 4)
    reference, ours = build_pair("Adam", {"learning_rate": 0.1, "use_ema": True})
    keras_vars = [keras.Variable(x) for x in init]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    for step_grads in grads:
        apply_both(reference, ours, keras_vars, our_vars, step_grads)
    trained = [v.detach().clone() for v in our_vars]
    averages = [to_numpy(v) for v in reference._model_variables_moving_average]
    ours.swap_ema_weights()
    assert_close(our_vars, averages, atol=1e-6, rtol=1e-6)
    ours.swap_ema_weights()
    assert all(torch.equal(a, b) for a, b in zip(our_vars, trained, strict=True))
    reference.finalize_variable_values(keras_vars)
    ours.finalize_variable_values(our_vars)
    assert_close(our_vars, [to_numpy(v.value) for v in keras_vars], atol=1e-6, rtol=1e-6)


def test_optimizer_swap_ema_weights_needs_use_ema():
    with pytest.raises(ValueError, match="create it with `use_ema=True`"):
        kto.SGD().swap_ema_weights()


@pytest.mark.parity
def test_optimizer_gradient_accumulation_iterations_match_keras():
    keras = keras_or_skip()
    reference, ours = build_pair("SGD", {"gradient_accumulation_steps": 3})
    keras_vars, our_vars = [keras.Variable(np.ones(2, "float32"))], parameters(((2,),))
    for _ in range(7):
        reference.apply_gradients([(torch.ones(2), keras_vars[0])])
        ours.apply_gradients([(np.ones(2, "float32"), our_vars[0])])
    assert int(ours.iterations) == int(to_numpy(reference.iterations)) == 2


@pytest.mark.parity
def test_optimizer_exclude_from_weight_decay_matches_keras():
    keras = keras_or_skip()
    rng = np.random.default_rng(9)
    kernel0, bias0 = rng.normal(size=(3, 2)).astype("float32"), np.ones(2, "float32")
    keras_vars = [keras.Variable(kernel0, name="kernel"), keras.Variable(bias0, name="bias")]
    reference = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    reference.exclude_from_weight_decay(var_names=["bias"])
    linear = torch.nn.Linear(3, 2)
    ours = linear_variables(linear)
    ours[0].assign(kernel0)
    ours[1].assign(bias0)
    opt = kto.AdamW(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    for _ in range(2):
        grads = [rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")]
        apply_both(reference, opt, keras_vars, ours, grads)
    assert_close([v.numpy() for v in ours], [to_numpy(v.value) for v in keras_vars], atol=1e-6)


@pytest.mark.parametrize(
    "clipping", [{}, {"clipnorm": 0.5}, {"clipvalue": 0.1}, {"global_clipnorm": 0.5}]
)
def test_optimizer_numpy_gradients_match_keras(clipping):
    """NumPy gradients (float64 too) here; Keras's torch backend needs tensors for some."""
    keras = keras_or_skip()
    init = np.array([[1.0, -2.0], [3.0, 0.5]], dtype="float32")
    grads = [np.array([[0.3, -0.4], [1.2, 0.0]], dtype="float32"), np.array([0.2, -1.0])]
    ours = [kerastorch.Variable(init), kerastorch.Variable(np.array([1.0, 2.0], "float32"))]
    theirs = [keras.Variable(init), keras.Variable(np.array([1.0, 2.0], "float32"))]
    ours_opt = kto.Adam(learning_rate=0.1, **clipping)
    theirs_opt = keras.optimizers.Adam(learning_rate=0.1, **clipping)
    ours_opt.apply_gradients(zip(grads, ours, strict=True))
    tensors = [torch.as_tensor(g, dtype=torch.float32) for g in grads]
    theirs_opt.apply_gradients(zip(tensors, theirs, strict=True))
    ours_opt.apply(grads, ours)
    theirs_opt.apply(tensors, theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a.numpy(), to_numpy(b.value))
