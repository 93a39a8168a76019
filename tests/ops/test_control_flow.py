"""Control-flow ops against the Keras oracle: each callable is written once, with the ops of
whichever library runs it (`lambda k: ...` receives `kerastorch` or `keras`).
"""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import ops
from tests.ops.oracle_compare import assert_same, assert_same_spec
from tests.oracle import keras_or_skip

X = np.arange(1.0, 7.0, dtype="float32").reshape(3, 2)


def both(k):
    return k.ops.convert_to_tensor(X)


CASES = [  # name, builder(k) -> (args, kwargs)
    ("cond", lambda k: ((torch.tensor(True), lambda: k.ops.ones(2), lambda: k.ops.zeros(2)), {})),
    ("cond", lambda k: ((False, lambda: k.ops.ones(2), lambda: k.ops.zeros(2)), {})),
    ("switch", lambda k: ((1, [k.ops.sin, k.ops.cos], both(k)), {})),
    ("switch", lambda k: ((torch.tensor(7), [k.ops.sin, k.ops.cos], both(k)), {})),
    ("scan", lambda k: ((lambda c, x: (k.ops.add(c, x), c), k.ops.zeros(2), both(k)), {})),
    ("scan", lambda k: ((lambda c, x: (c * x, c), k.ops.ones(2), both(k)), {"reverse": True})),
    ("scan", lambda k: ((lambda c, _: (c + 1.0, None), k.ops.ones(2)), {"length": 3})),
    (
        "scan",
        lambda k: (
            (
                lambda c, x: ((c[0] + x["a"], c[1]), x["a"] * 2),
                (k.ops.zeros(2), k.ops.ones(1)),
                {"a": both(k)},
            ),
            {},
        ),
    ),
    ("associative_scan", lambda k: ((k.ops.add, both(k)), {})),
    ("associative_scan", lambda k: ((k.ops.multiply, both(k)), {"axis": 1, "reverse": True})),
    (
        "associative_scan",
        lambda k: (
            (lambda a, b: [a[0] + b[0], k.ops.maximum(a[1], b[1])], [both(k), -both(k)]),
            {},
        ),
    ),
    ("map", lambda k: ((lambda x: k.ops.sum(x) * x, both(k)), {})),
    ("vectorized_map", lambda k: ((lambda x: k.ops.matmul(x, x), both(k)), {})),
    ("fori_loop", lambda k: ((0, 4, lambda i, v: v * 2.0 + i, k.ops.ones(2)), {})),
    (
        "while_loop",
        lambda k: ((lambda i: i < 10, lambda i: i + 3, k.ops.convert_to_tensor(0)), {}),
    ),
    (
        "while_loop",
        lambda k: (
            (
                lambda i, x: i < 5,
                lambda i, x: (i + 1, x * 2.0),
                (k.ops.convert_to_tensor(0), k.ops.ones(2)),
            ),
            {"maximum_iterations": 3},
        ),
    ),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "build"), CASES, ids=[c[0] for c in CASES])
def test_control_flow_matches_keras(name, build):
    keras = keras_or_skip()
    args, kwargs = build(kerastorch)
    ours = getattr(ops, name)(*args, **kwargs)
    args, kwargs = build(keras)
    theirs = getattr(keras.ops, name)(*args, **kwargs)
    assert_same(ours, theirs)


@pytest.mark.parity
def test_custom_gradient_matches_keras():
    keras = keras_or_skip()

    def make(k):
        @k.ops.custom_gradient
        def log1pexp(x):
            e = k.ops.exp(x)
            return k.ops.log(1 + e), lambda *args, upstream: upstream * (1 - 1 / (1 + e))

        return log1pexp

    grads = []
    for k in (kerastorch, keras):
        x = torch.tensor([0.0, 100.0], requires_grad=True)
        make(k)(x).sum().backward()
        grads.append(x.grad)
    assert_same(grads[0], grads[1])
    assert grads[0].tolist() == [0.5, 1.0]


SYMBOLIC = [  # name, builder(k, x) -> (args, kwargs), with x a KerasTensor (None, 3, 2)
    ("cond", lambda k, x: ((k.ops.sum(x) > 0, lambda: k.ops.ones(2), lambda: k.ops.zeros(2)), {})),
    ("switch", lambda k, x: ((0, [k.ops.sin, k.ops.cos], x), {})),
    ("map", lambda k, x: ((lambda t: k.ops.sum(t, axis=-1), x), {})),
    ("vectorized_map", lambda k, x: ((lambda t: k.ops.sum(t, axis=0), x), {})),
    ("fori_loop", lambda k, x: ((0, 3, lambda i, v: v * 2.0, x), {})),
    ("while_loop", lambda k, x: ((lambda v: k.ops.all(v < 9), lambda v: v + 1.0, x), {})),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "build"), SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_control_flow_symbolic_matches_keras(name, build):
    keras = keras_or_skip()
    args, kwargs = build(kerastorch, kerastorch.KerasTensor((4, 3, 2)))
    ours = getattr(ops, name)(*args, **kwargs)
    args, kwargs = build(keras, keras.KerasTensor((4, 3, 2)))
    theirs = getattr(keras.ops, name)(*args, **kwargs)
    assert_same_spec(ours, theirs)


@pytest.mark.parity
def test_scan_and_associative_scan_symbolic_match_keras():
    keras = keras_or_skip()
    specs = []
    for k in (kerastorch, keras):
        init, xs = k.KerasTensor((2,)), k.KerasTensor((5, 2))
        carry, ys = k.ops.scan(lambda c, x: (c + x, c * x), init, xs)
        specs.append((carry, ys, k.ops.associative_scan(k.ops.add, xs)))
    assert_same_spec(specs[0], specs[1])


def test_control_flow_records_nodes_in_a_functional_model():
    inputs = kerastorch.Input((3,))
    outputs = ops.fori_loop(0, 3, lambda i, v: v * 2.0, inputs)
    model = kerastorch.Model(inputs, outputs)
    assert model(torch.ones(1, 3)).tolist() == [[8.0, 8.0, 8.0]]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ops.scan(1, 0.0, np.ones(2)), TypeError, "scan: `f` should be a callable"),
        (lambda: ops.scan(lambda c, x: (c, x), 0.0), ValueError, "scan: got no `xs`"),
        (lambda: ops.scan(lambda c, x: (c, x), 0.0, np.ones(2), unroll=0), ValueError, "unroll"),
        (lambda: ops.cond(True, None, lambda: 1), TypeError, "cond: `true_fn`"),
        (lambda: ops.switch(0, [], 1.0), ValueError, "switch: `branches`"),
        (lambda: ops.while_loop(lambda i: i < 1, "x", 0), TypeError, "while_loop: `body`"),
        (
            lambda: ops.associative_scan(ops.add, [np.ones(2), np.ones(3)]),
            ValueError,
            "associative_scan: .*same size",
        ),
    ],
)
def test_control_flow_bad_inputs_name_the_op(call, error, match):
    with pytest.raises(error, match=match):
        call()
