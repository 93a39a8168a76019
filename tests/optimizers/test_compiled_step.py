"""Each optimizer's step inside `torch.compile` (what `jit_compile=True` does): one graph,
no graph break (`fullgraph=True`), no recompilation from step to step, Keras's numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import kerastorch.optimizers as kto
from tests.optimizers.parity import ATOL, RTOL, build_pair, random_case
from tests.oracle import assert_close, keras_or_skip, to_numpy

EXPONENTIAL = (
    "ExponentialDecay",
    {"initial_learning_rate": 0.05, "decay_steps": 2, "decay_rate": 0.5},
)
PIECEWISE = ("PiecewiseConstantDecay", {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]})
COSINE = (
    "CosineDecay",
    {"initial_learning_rate": 0.0, "decay_steps": 4, "warmup_target": 0.1, "warmup_steps": 2},
)

CASES = [  # (optimizer, arguments, schedule)
    ("Adam", {"learning_rate": 0.01}, None),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True, "weight_decay": 0.05, "clipnorm": 0.5}, None),
    (
        "Adam",
        {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 2},
        None,
    ),
    ("Adam", {"loss_scale_factor": 8.0}, EXPONENTIAL),
    ("AdamW", {"learning_rate": 0.01, "global_clipnorm": 0.5}, None),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}, PIECEWISE),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "clipvalue": 0.2}, None),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}, COSINE),
    ("Adagrad", {"learning_rate": 0.1}, None),
    ("Nadam", {"learning_rate": 0.01}, None),
    ("Adamax", {"learning_rate": 0.01}, None),
    ("Lion", {"learning_rate": 0.01}, None),
    ("Lamb", {"learning_rate": 0.01}, None),
    ("Adadelta", {"learning_rate": 0.5}, None),
    ("Adafactor", {"learning_rate": 0.01}, None),
    ("Ftrl", {"learning_rate": 0.1}, None),
    ("Muon", {"learning_rate": 0.05}, None),
    ("ScheduleFreeAdamW", {"learning_rate": 0.01, "warmup_steps": 2}, None),
]


@pytest.fixture(autouse=True)
def _fresh_dynamo():
    # dynamo keeps its graphs per code object (`step` below): one test's must not count
    # against the next one's recompile limit.
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def _compiled_step(optimizer: Any, graphs: list[Any]) -> Any:
    def count(graph: torch.fx.GraphModule, example_inputs: Any) -> Any:
        graphs.append(graph)
        return graph.forward

    def step(grads: list[torch.Tensor]) -> None:
        with torch.no_grad():
            optimizer._apply(grads, None)

    return torch.compile(step, backend=count, fullgraph=True)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs", "schedule"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_compiled_step_matches_keras_in_one_graph(name, kwargs, schedule):
    keras = keras_or_skip()
    init, grads = random_case(0, steps=5)
    reference, ours = build_pair(name, kwargs, schedule)
    keras_vars = [keras.Variable(x) for x in init]
    params = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    ours.build(params)
    assert ours._can_compile_step()
    graphs: list[Any] = []
    step = _compiled_step(ours, graphs)
    for i, step_grads in enumerate(grads):
        reference.apply_gradients(
            zip([torch.tensor(g) for g in step_grads], keras_vars, strict=True)
        )
        step([torch.tensor(g) for g in step_grads])
        expected = [to_numpy(v.value) for v in keras_vars]
        try:
            assert_close(params, expected, atol=ATOL, rtol=RTOL)
        except AssertionError as error:
            raise AssertionError(f"compiled {name}({kwargs}) differs at step {i}") from error
    assert len(graphs) == 1  # no recompilation: the step scalars are device tensors
    assert int(ours.iterations) == len(grads)
    assert_close(
        [v.numpy() for v in ours.variables],
        [to_numpy(v.value) for v in reference.variables],
        atol=ATOL,
        rtol=RTOL,
    )
    # The host copy of the counter follows what the graph did: the eager step goes on.
    for p, g in zip(params, grads[0], strict=True):
        p.grad = torch.tensor(g)
    ours.step()
    assert int(ours.iterations) == len(grads) + 1


def test_multi_optimizer_step_compiles():
    params = [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(3))]
    sgd, adam = kto.SGD(0.5), kto.Adam(0.1)
    ours = kto.MultiOptimizer(lambda v: sgd if v is params[0] else adam)
    ours.build(params)
    graphs: list[Any] = []
    step = _compiled_step(ours, graphs)
    for _ in range(3):
        step([torch.ones(2), torch.ones(3)])
    assert len(graphs) == 1
    assert_close(params[0], np.full(2, -0.5), atol=1e-6)
    assert_close(params[1], np.full(3, 0.7), atol=1e-5)  # Adam moves ~lr per step
    assert int(ours.iterations) == 3


def test_host_deciding_optimizers_do_not_compile_their_step():
    assert not kto.Adam(gradient_accumulation_steps=2)._can_compile_step()
    assert not kto.LossScaleOptimizer(kto.SGD())._can_compile_step()
    param = torch.nn.Parameter(torch.ones(2))
    accumulating = kto.SGD(gradient_accumulation_steps=2)
    accumulating.build([param])
    step = _compiled_step(accumulating, [])
    with pytest.raises(Exception, match="gradient_accumulation_steps"):
        step([torch.ones(2)])
