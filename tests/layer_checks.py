"""`check_layer()`: the one harness every layer test uses (Keras's `run_layer_test`).

One call checks a layer class end to end, here and against real Keras 3 (the oracle):

1. **Eager**: a layer made from `init_kwargs` is called on random data of `input_shape`
   (with `call_kwargs` and `training`); the output shape (`expected_output_shape`), dtype
   and the numbers of trainable / non-trainable weights are checked;
   `count_params()` equals the sum of the `get_weights()` sizes.
2. **Symbolic**: a second layer is called on `Input(shape=input_shape[1:])`; its output
   shape is the expected one with a `None` batch. A functional `Model(inputs, outputs)`
   (and a `Sequential` for one input and one output) made from it, given the eager
   layer's weights, returns the eager layer's outputs.
3. **Config and weights**: `from_config(get_config())` gives the same config; the copy
   takes `set_weights(get_weights())` and then returns the same outputs.
4. **Gradients**: one backward pass from a random weighting of the (floating) outputs
   puts a finite gradient on every trainable weight.
5. **CUDA**: where a GPU is available, the layer moved there returns the same outputs.
6. **Keras oracle** (when `keras` is importable, run with `KERAS_BACKEND=torch`): the same
   layer is built in Keras (`getattr(keras.layers, keras_cls_name or layer_cls.__name__)`
   with `keras_init_kwargs or init_kwargs`); its weights are copied into ours with
   `set_weights`, then outputs, symbolic output shapes and dtypes, `count_params()`,
   weight names and shapes, trainable / non-trainable counts and `get_config()` (without
   `"name"`, tuples read as lists) must be equal.

Inputs: `input_shape` is one shape with a concrete batch size (`(2, 3, 4)`) or a list of
them for layers that take a list of tensors (merges). `input_dtype` is one dtype name or a
list. Floating inputs are standard normal, integer inputs are uniform in
`[input_range[0], input_range[1])` (default `[0, 10)`), booleans are random; pass
`input_data` (array or list of arrays) for full control. NumPy arrays in `call_kwargs`
(a `mask`, say) are converted to tensors for both libraries.

Stochastic layers (Dropout with `training=True`) pass `deterministic=False`: then only
shapes, weights and configs are compared, never values.

Example:
    >>> from kerastorch.layers.core.dense import Dense
    >>> result = check_layer(Dense, {"units": 3}, (2, 4), expected_output_shape=(2, 3),
    ...                      expected_num_trainable_weights=2)
    >>> result.layer.count_params()
    15
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from kerastorch.common import tree
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.layer import Layer

os.environ.setdefault("KERAS_BACKEND", "torch")

Shape = tuple[int, ...]

__all__ = ["LayerCheck", "check_layer", "make_inputs"]


@dataclasses.dataclass
class LayerCheck:
    """What `check_layer` built: our eager layer and output, and Keras's (None without it)."""

    layer: Layer
    output: Any
    inputs: Any
    keras_layer: Any = None
    keras_output: Any = None


def check_layer(
    layer_cls: type[Layer],
    init_kwargs: dict[str, Any] | None,
    input_shape: Shape | list[Shape],
    expected_output_shape: Shape | list[Shape] | None = None,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    input_dtype: str | list[str] = "float32",
    keras_cls_name: str | None = None,
    atol: float = 1e-5,
    call_kwargs: dict[str, Any] | None = None,
    *,
    rtol: float = 1e-5,
    training: bool | None = None,
    input_data: Any = None,
    input_range: tuple[float, float] | None = None,
    expected_output_dtype: str | None = None,
    keras_init_kwargs: dict[str, Any] | None = None,
    compare_with_keras: bool = True,
    compare_config: bool = True,
    deterministic: bool = True,
    run_backward: bool = True,
    check_models: bool = True,
    seed: int = 0,
) -> LayerCheck:
    """Check `layer_cls(**init_kwargs)` on inputs of `input_shape` (see the module docstring).

    Args:
        layer_cls: the kerastorch layer class.
        init_kwargs: constructor arguments (the same ones are given to Keras's class unless
            `keras_init_kwargs` is set).
        input_shape: shape with batch (`(2, 5)`), or a list of shapes for list inputs.
        expected_output_shape: expected eager output shape (a list for several outputs).
        expected_num_trainable_weights / expected_num_non_trainable_weights: weight counts.
        input_dtype: dtype name of the inputs (a list, one per input, for list inputs).
        keras_cls_name: Keras's class name when it differs from `layer_cls.__name__`.
        atol / rtol: tolerances for every numerical comparison.
        call_kwargs: extra call arguments (`mask=...`, `axis=...`), for both libraries.
        training: passed as `training=` to every call when not None.
        input_data: the input array(s), instead of random ones.
        input_range: `(low, high)` of random integer inputs (default `(0, 10)`).
        expected_output_dtype: the expected output dtype name (eager and symbolic).
        keras_init_kwargs: constructor arguments for Keras, when they must differ.
        compare_with_keras: run the oracle part when Keras is importable.
        compare_config: compare `get_config()` with Keras's.
        deterministic: False for stochastic calls: no value comparisons.
        run_backward: run the gradient check.
        check_models: run the Model / Sequential check.
        seed: seed of the random inputs.

    Returns:
        A `LayerCheck` with our eager layer, its output and the inputs used (and Keras's
        layer and output when the oracle ran).
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if training is not None:
        call_kwargs["training"] = training
    multi = _is_shape_list(input_shape)
    shapes = list(input_shape) if multi else [tuple(input_shape)]
    dtypes = list(input_dtype) if isinstance(input_dtype, (list, tuple)) else [input_dtype]
    dtypes = dtypes * len(shapes) if len(dtypes) == 1 else dtypes
    arrays = _as_list(input_data) if input_data is not None else make_inputs(
        shapes, dtypes, input_range, seed
    )  # fmt: skip
    as_call_arg = (lambda xs: list(xs)) if multi else (lambda xs: xs[0])

    # 1. Eager.
    torch_inputs = [torch.as_tensor(a) for a in arrays]
    torch_kwargs = _to_torch(call_kwargs)
    layer = layer_cls(**init_kwargs)
    output = layer(as_call_arg(torch_inputs), **torch_kwargs)
    flat_out = tree.flatten(output)
    where = f"{layer_cls.__name__}({init_kwargs})"
    if expected_output_shape is not None:
        expected = _as_list(expected_output_shape) if _is_shape_list(expected_output_shape) else [
            expected_output_shape
        ]  # fmt: skip
        got = [tuple(t.shape) for t in flat_out]
        if got != [tuple(s) for s in expected]:
            raise AssertionError(f"{where}: eager output shapes {got} != expected {expected}")
    if expected_output_dtype is not None:
        for t in flat_out:
            _assert_equal(_dtype_name(t), expected_output_dtype, f"{where}: output dtype")
    if expected_num_trainable_weights is not None:
        _assert_equal(
            len(layer.trainable_weights), expected_num_trainable_weights, f"{where}: #trainable"
        )
    if expected_num_non_trainable_weights is not None:
        _assert_equal(
            len(layer.non_trainable_weights),
            expected_num_non_trainable_weights,
            f"{where}: #non-trainable",
        )
    weights = layer.get_weights()
    _assert_equal(layer.count_params(), int(sum(w.size for w in weights)), f"{where}: params")

    # 2. Symbolic, and inside models.
    symbolic_inputs = [Input(shape=s[1:], dtype=d) for s, d in zip(shapes, dtypes, strict=False)]
    sym_layer = layer_cls(**init_kwargs)
    sym_kwargs = {k: v for k, v in torch_kwargs.items() if not isinstance(v, torch.Tensor)}
    sym_out = sym_layer(as_call_arg(symbolic_inputs), **sym_kwargs)
    sym_shapes = [tuple(t.shape) for t in tree.flatten(sym_out)]
    expected_sym = [(None, *tuple(t.shape)[1:]) for t in flat_out]
    if sym_shapes != expected_sym:
        raise AssertionError(f"{where}: symbolic output shapes {sym_shapes} != {expected_sym}")
    if expected_output_dtype is not None:
        for t in tree.flatten(sym_out):
            _assert_equal(t.dtype, expected_output_dtype, f"{where}: symbolic output dtype")
    sym_layer.set_weights(weights)
    if check_models and not any(isinstance(v, torch.Tensor) for v in torch_kwargs.values()):
        _check_models(
            sym_layer, symbolic_inputs, sym_out, as_call_arg, torch_inputs, output, multi,
            training, deterministic, atol, rtol, where,
        )  # fmt: skip

    # 3. Config and weights round trip.
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    _assert_equal(_plain(clone.get_config()), _plain(config), f"{where}: from_config(get_config)")
    clone_out = clone(as_call_arg(torch_inputs), **torch_kwargs)
    clone.set_weights(weights)
    for got, want in zip(clone.get_weights(), weights, strict=False):
        np.testing.assert_array_equal(got, want, err_msg=f"{where}: set_weights round trip")
    if deterministic:
        clone_out = clone(as_call_arg(torch_inputs), **torch_kwargs)
        _assert_close(clone_out, output, atol, rtol, f"{where}: from_config copy output")

    # 4. Gradients.
    if run_backward and layer.trainable_weights:
        _check_gradients(layer, as_call_arg, torch_inputs, torch_kwargs, where)

    # 5. CUDA.
    if torch.cuda.is_available() and deterministic:
        cuda_layer = layer_cls.from_config(config)
        cuda_layer(as_call_arg(torch_inputs), **torch_kwargs)
        cuda_layer.set_weights(weights)
        cuda_layer.to("cuda")
        cuda_out = cuda_layer(
            as_call_arg([t.cuda() for t in torch_inputs]), **_to_device(torch_kwargs, "cuda")
        )
        _assert_close(cuda_out, output, max(atol, 1e-4), max(rtol, 1e-4), f"{where}: CUDA")

    result = LayerCheck(layer=layer, output=output, inputs=as_call_arg(arrays))

    # 6. The Keras oracle.
    keras = _keras() if compare_with_keras else None
    if keras is not None:
        _check_against_keras(
            keras, result, layer_cls, keras_cls_name, keras_init_kwargs or init_kwargs,
            shapes, dtypes, arrays, as_call_arg, call_kwargs, torch_inputs, torch_kwargs,
            sym_out, compare_config, deterministic, atol, rtol, where,
        )  # fmt: skip
    return result


def make_inputs(
    shapes: Sequence[Shape],
    dtypes: Sequence[str],
    input_range: tuple[float, float] | None = None,
    seed: int = 0,
) -> list[np.ndarray]:
    """Random NumPy inputs: normal floats, integers in `input_range`, random booleans."""
    rng = np.random.default_rng(seed)
    arrays = []
    for shape, dtype in zip(shapes, dtypes, strict=False):
        if dtype == "bool":
            arrays.append(rng.random(shape) > 0.5)
        elif np.issubdtype(np.dtype(dtype), np.integer):
            low, high = input_range or (0, 10)
            arrays.append(rng.integers(int(low), int(high), size=shape).astype(dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(dtype))
    return arrays


# -------------------------------------------------------------------------------------------
# Parts
# -------------------------------------------------------------------------------------------
def _check_models(
    sym_layer, symbolic_inputs, sym_out, as_call_arg, torch_inputs, output, multi, training,
    deterministic, atol, rtol, where,
) -> None:  # fmt: skip
    from kerastorch.models import Model, Sequential

    model = Model(as_call_arg(symbolic_inputs), sym_out)
    dtype = symbolic_inputs[0].dtype
    model_out = model(as_call_arg(torch_inputs), training=training)
    _assert_shapes(model_out, output, f"{where}: functional Model output shapes")
    if deterministic:
        _assert_close(model_out, output, atol, rtol, f"{where}: functional Model output")
    if multi or len(tree.flatten(output)) != 1:
        return
    seq = Sequential([Input(shape=tuple(symbolic_inputs[0].shape)[1:], dtype=dtype), sym_layer])
    seq_out = seq(torch_inputs[0], training=training)
    _assert_shapes(seq_out, output, f"{where}: Sequential output shapes")
    if deterministic:
        _assert_close(seq_out, output, atol, rtol, f"{where}: Sequential output")


def _check_gradients(layer, as_call_arg, torch_inputs, torch_kwargs, where) -> None:
    for w in layer.trainable_weights:
        w.tensor.grad = None
    out = layer(as_call_arg(torch_inputs), **torch_kwargs)
    generator = torch.Generator().manual_seed(1)
    loss = 0.0
    for t in tree.flatten(out):
        if isinstance(t, torch.Tensor) and t.is_floating_point() and t.requires_grad:
            weighting = torch.randn(t.shape, generator=generator, dtype=t.dtype).to(t.device)
            loss = loss + (t * weighting).sum()
    if not isinstance(loss, torch.Tensor):
        names = [w.name for w in layer.trainable_weights]
        raise AssertionError(
            f"{where}: no gradient reached trainable weight '{names[0]}': the output does not "
            f"depend on any trainable weight ({names})"
        )
    loss.backward()
    for w in layer.trainable_weights:
        grad = w.tensor.grad
        if grad is None:
            raise AssertionError(f"{where}: no gradient reached trainable weight '{w.name}'")
        if not torch.isfinite(grad).all():
            raise AssertionError(f"{where}: non-finite gradient on trainable weight '{w.name}'")
        w.tensor.grad = None


def _check_against_keras(
    keras, result, layer_cls, keras_cls_name, init_kwargs, shapes, dtypes, arrays, as_call_arg,
    call_kwargs, torch_inputs, torch_kwargs, sym_out, compare_config, deterministic, atol, rtol,
    where,
) -> None:  # fmt: skip
    name = keras_cls_name or layer_cls.__name__
    keras_cls = getattr(keras.layers, name)
    keras_kwargs = _to_keras(keras, call_kwargs)
    ref = keras_cls(**init_kwargs)
    ref_out = ref(as_call_arg([keras.ops.convert_to_tensor(a) for a in arrays]), **keras_kwargs)
    result.keras_layer, result.keras_output = ref, ref_out
    ours = layer_cls(**init_kwargs)
    ours(as_call_arg(torch_inputs), **torch_kwargs)  # build

    # Weights: names, shapes, counts; then copy Keras's values into ours.
    _assert_equal(
        [w.name for w in ours.weights], [w.name for w in ref.weights], f"{where}: weight names"
    )
    _assert_equal(
        [tuple(w.shape) for w in ours.get_weights()],
        [tuple(w.shape) for w in ref.get_weights()],
        f"{where}: get_weights() shapes vs Keras",
    )
    _assert_equal(
        (len(ours.trainable_weights), len(ours.non_trainable_weights)),
        (len(ref.trainable_weights), len(ref.non_trainable_weights)),
        f"{where}: (#trainable, #non-trainable) vs Keras",
    )
    _assert_equal(ours.count_params(), ref.count_params(), f"{where}: count_params vs Keras")
    ours.set_weights(ref.get_weights())

    # Outputs.
    ours_out = ours(as_call_arg(torch_inputs), **torch_kwargs)
    _assert_shapes(ours_out, ref_out, f"{where}: eager output shapes vs Keras")
    for a, b in zip(tree.flatten(ours_out), tree.flatten(ref_out), strict=False):
        _assert_equal(_dtype_name(a), _dtype_name(b), f"{where}: output dtype vs Keras")
    if deterministic:
        _assert_close(ours_out, ref_out, atol, rtol, f"{where}: output vs Keras")
        _record_oracle_case(layer_cls.__name__, ours_out, ref_out)

    # Symbolic output shapes and dtypes.
    sym_ref = keras_cls(**init_kwargs)
    keras_inputs = [keras.Input(shape=s[1:], dtype=d) for s, d in zip(shapes, dtypes, strict=False)]
    sym_keras_kwargs = {k: v for k, v in keras_kwargs.items() if not _is_array_like(v)}
    ref_sym = sym_ref(as_call_arg(keras_inputs), **sym_keras_kwargs)
    _assert_equal(
        [tuple(t.shape) for t in tree.flatten(sym_out)],
        [tuple(t.shape) for t in tree.flatten(ref_sym)],
        f"{where}: symbolic output shapes vs Keras",
    )
    _assert_equal(
        [t.dtype for t in tree.flatten(sym_out)],
        [t.dtype for t in tree.flatten(ref_sym)],
        f"{where}: symbolic output dtypes vs Keras",
    )

    # Config.
    if compare_config:
        mine = {k: v for k, v in ours.get_config().items() if k != "name"}
        theirs = {k: v for k, v in ref.get_config().items() if k != "name"}
        _assert_equal(_plain(mine), _plain(theirs), f"{where}: get_config() vs Keras")


# -------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------
def _keras() -> Any:
    if importlib.util.find_spec("keras") is None:
        return None
    import keras

    return keras if keras.backend.backend() == "torch" else None


def _is_shape_list(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and bool(x) and isinstance(x[0], (list, tuple))


def _as_list(x: Any) -> list[Any]:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _is_array_like(x: Any) -> bool:
    return isinstance(x, (np.ndarray, torch.Tensor)) or hasattr(x, "shape")


def _to_torch(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        k: tree.map_structure(lambda v: torch.as_tensor(v) if isinstance(v, np.ndarray) else v, x)
        for k, x in kwargs.items()
    }


def _to_keras(keras: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    def convert(v: Any) -> Any:
        return keras.ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v

    return {k: tree.map_structure(convert, x) for k, x in kwargs.items()}


def _to_device(kwargs: dict[str, Any], device: str) -> dict[str, Any]:
    def move(v: Any) -> Any:
        return v.to(device) if isinstance(v, torch.Tensor) else v

    return {k: tree.map_structure(move, x) for k, x in kwargs.items()}


def _numpy(x: Any) -> np.ndarray:
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _dtype_name(x: Any) -> str:
    dtype = x.dtype
    if isinstance(dtype, torch.dtype):
        return str(dtype).removeprefix("torch.")
    return str(dtype)


def _plain(x: Any) -> Any:
    """Tuples as lists, recursively (a JSON round trip's view of a config)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _assert_equal(got: Any, want: Any, what: str) -> None:
    if got != want:
        raise AssertionError(f"{what}:\n  got:      {got!r}\n  expected: {want!r}")


def _assert_shapes(got: Any, want: Any, what: str) -> None:
    _assert_equal(
        [tuple(t.shape) for t in tree.flatten(got)],
        [tuple(t.shape) for t in tree.flatten(want)],
        what,
    )


# layer class name -> [configurations compared with Keras, max |ours - keras| over them];
# written out as a table at the end of the session when KERASTORCH_ORACLE_REPORT is set.
ORACLE_CASES: dict[str, list[float]] = {}


def _record_oracle_case(name: str, ours: Any, keras_out: Any) -> None:
    diffs = [
        float(np.max(np.abs(_numpy(a).astype("float64") - _numpy(b).astype("float64"))))
        if _numpy(a).size
        else 0.0
        for a, b in zip(tree.flatten(ours), tree.flatten(keras_out), strict=True)
    ]
    entry = ORACLE_CASES.setdefault(name, [0, 0.0])
    entry[0] += 1
    entry[1] = max(entry[1], *diffs) if diffs else entry[1]


def _assert_close(got: Any, want: Any, atol: float, rtol: float, what: str) -> None:
    got, want = tree.flatten(got), tree.flatten(want)
    _assert_equal(len(got), len(want), f"{what}: number of outputs")
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        np.testing.assert_allclose(
            _numpy(a), _numpy(b), atol=atol, rtol=rtol, err_msg=f"{what} (output {i})"
        )
