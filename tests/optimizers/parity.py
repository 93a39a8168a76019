"""Shared oracle harness: the same variables and gradients through Keras and kerastorch.

`check_parity(name, kwargs)` creates three float32 variables in both libraries, applies the
same sequences of random gradients with `apply_gradients` (and, on a second kerastorch
copy, through the fast `step()` path with `.grad`), and compares the variables after every
step and the optimizer state at the end.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import kerastorch.optimizers as kto
from kerastorch.common.layouts import transpose
from kerastorch.variables import Variable
from tests.oracle import assert_close, keras_or_skip, to_numpy

SHAPES = [(3, 4), (4,), (2, 3, 2)]
ATOL = RTOL = 1e-6


def random_case(seed: int, steps: int, shapes: list[tuple[int, ...]] = SHAPES) -> tuple:
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=s).astype("float32") for s in shapes]
    grads = [[rng.normal(size=s).astype("float32") for s in shapes] for _ in range(steps)]
    return init, grads


def build_pair(name: str, kwargs: dict[str, Any], schedule: tuple | None = None) -> tuple:
    """The Keras optimizer and ours, built from the same arguments (and schedule)."""
    keras = keras_or_skip()
    keras_kwargs, our_kwargs = dict(kwargs), dict(kwargs)
    if schedule is not None:
        cls_name, schedule_kwargs = schedule
        keras_kwargs["learning_rate"] = getattr(keras.optimizers.schedules, cls_name)(
            **schedule_kwargs
        )
        our_kwargs["learning_rate"] = getattr(kto.schedules, cls_name)(**schedule_kwargs)
    return getattr(keras.optimizers, name)(**keras_kwargs), getattr(kto, name)(**our_kwargs)


def apply_both(reference: Any, ours: Any, keras_vars: list, our_vars: list, grads: list) -> None:
    """One `apply_gradients` with the same NumPy gradients on each side."""
    reference.apply_gradients(zip([torch.tensor(g) for g in grads], keras_vars, strict=True))
    ours.apply_gradients(zip(grads, our_vars, strict=True))


def check_parity(
    name: str,
    kwargs: dict[str, Any],
    *,
    schedule: tuple | None = None,
    steps: int = 5,
    seed: int = 0,
    init: list[np.ndarray] | None = None,
) -> None:
    keras = keras_or_skip()
    case_init, grads = random_case(seed, steps)
    init = case_init if init is None else init
    reference, ours = build_pair(name, kwargs, schedule)
    _, fast = build_pair(name, kwargs, schedule)
    keras_vars = [keras.Variable(x) for x in init]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    fast_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    fast.build(fast_vars)
    for step, step_grads in enumerate(grads):
        reference.apply_gradients(
            zip([torch.tensor(g) for g in step_grads], keras_vars, strict=True)
        )
        ours.apply_gradients(zip(step_grads, our_vars, strict=True))
        for p, g in zip(fast_vars, step_grads, strict=True):
            p.grad = torch.tensor(g)
        fast.step()
        expected = [to_numpy(v.value) for v in keras_vars]
        try:
            assert_close(our_vars, expected, atol=ATOL, rtol=RTOL)
            assert_close(fast_vars, expected, atol=ATOL, rtol=RTOL)
        except AssertionError as error:
            raise AssertionError(f"{name}({kwargs}) differs from Keras at step {step}") from error
    assert_close(
        [v.numpy() for v in ours.variables],
        [to_numpy(v.value) for v in reference.variables],
        atol=ATOL,
        rtol=RTOL,
    )
    assert int(ours.iterations) == int(to_numpy(reference.iterations))


def parameters(shapes: tuple[tuple[int, ...], ...] = ((3, 4), (4,))) -> list[torch.nn.Parameter]:
    """Random torch Parameters of these shapes."""
    return [torch.nn.Parameter(torch.randn(s)) for s in shapes]


def linear_variables(linear: torch.nn.Linear, constraint: Any = None) -> list[Variable]:
    """Keras-layout views of an nn.Linear: kernel (in, out) over weight (out, in)."""
    kernel = Variable(
        linear, "weight", "kernel", path="dense/kernel", constraint=constraint,
        to_keras=transpose, from_keras=transpose,
    )  # fmt: skip
    return [kernel, Variable(linear, "bias", "bias", path="dense/bias")]
