"""`export_onnx`: write a model as an ONNX file (Keras 3's `model.export(path, "onnx")`).

The model is traced by `torch.onnx.export` on example inputs built from its input specs
(`None` sizes become 1 and are exported as dynamic axes). Needs the `onnx` package.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.export("m.onnx", format="onnx")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from typing import Any

import torch

from kerastorch.common.atomic import atomic_write
from kerastorch.export.signature import example_inputs


def export_onnx(
    model: Any, filepath: Any, input_signature: Any = None, verbose: bool | None = None,
    **kwargs: Any,
) -> None:  # fmt: skip
    """Write `model` to `filepath` in ONNX format.

    Args:
        model: a built model (its `inputs` give the example shapes), or any model when
            `input_signature` (KerasTensors or example tensors) is given.
        filepath: the `.onnx` path (written atomically).
        input_signature: the inputs' specs; defaults to `model.inputs`.
        verbose: print torch's export log.
        **kwargs: passed on to `torch.onnx.export` (e.g. `opset_version`).
    """
    if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxscript") is None:
        raise ImportError(
            "Exporting to ONNX (`model.export(filepath, format='onnx')`) requires the `onnx` "
            "package (and `onnxscript`, torch's exporter). Install them with "
            "`pip install onnx onnxscript` (or `pip install kerastorch[onnx]`)."
        )
    examples, dims = example_inputs(model, input_signature)
    names = [f"input_{i}" for i in range(len(examples))]
    was_training = model.training
    model.eval()
    try:
        args = (examples,) if len(examples) > 1 else (examples[0],)
        # `forward(*args)`: torch.export sees one positional argument, the tuple `args`.
        dynamic_shapes = ((dims,),) if len(examples) > 1 else ((dims[0],),)
        with atomic_write(os.fspath(filepath)) as tmp, warnings.catch_warnings():
            # torch's exporter warns about its own internals (pytree deprecations).
            warnings.simplefilter("ignore", FutureWarning)
            torch.onnx.export(
                model, args, tmp, input_names=names, dynamic_shapes=dynamic_shapes,
                verbose=bool(verbose), dynamo=True, **kwargs,
            )  # fmt: skip
    finally:
        model.train(was_training)
