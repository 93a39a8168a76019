"""`export_torch`: a model as a `torch.export` program in a `.pt2` file (`format="torch"`).

The file holds an `ExportedProgram` of ATen operations and the weights; it loads with
`torch.export.load(path)` in a process that never imports kerastorch (or Keras), runs with
`.module()(x)` and compiles further with `torch.compile`. The model is traced in inference
mode (`training=False`) on example inputs built from `input_signature` (default: the
model's inputs); the batch size stays free unless the model fixes it.

Example:
    >>> import os, tempfile, torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "dense.pt2")
    >>> path = model.export(path, format="torch", verbose=False)
    >>> program = torch.export.load(path)
    >>> tuple(program.module()(torch.ones(5, 3)).shape)
    (5, 2)
"""

from __future__ import annotations

import inspect
import os
import warnings
from typing import Any

import torch

from kerastorch.common.atomic import atomic_write
from kerastorch.common.progbar import print_msg
from kerastorch.export.signature import example_inputs


def export_torch(
    model: Any, filepath: Any, input_signature: Any = None, verbose: bool | None = None,
    **kwargs: Any,
) -> str:  # fmt: skip
    """Write `model` to `filepath` (ending in `.pt2`) as a `torch.export` program.

    Args:
        model: a built model, or any model when `input_signature` is given.
        filepath: the `.pt2` path (written atomically: a failed export leaves an old file).
        input_signature: the inputs' specs (`InputSpec`, `keras.Input(...)`, tensors).
        verbose: print where the program was saved (default True, as Keras).
        **kwargs: passed on to `torch.export.export` (`strict`, default False as Keras;
            `dynamic_shapes`, default: every `None` size of the signature free).

    Returns:
        The path written.
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".pt2"):
        raise ValueError(
            f"`export(format='torch')` writes a `.pt2` file: `filepath` must end with '.pt2'. "
            f"Received: filepath={filepath!r}"
        )
    allowed = set(inspect.signature(torch.export.export).parameters) - {"mod", "args", "kwargs"}
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise ValueError(
            f"Unsupported arguments for `format='torch'`: {', '.join(unknown)}. Supported "
            f"arguments are: {', '.join(sorted(allowed))}."
        )
    examples, dims = example_inputs(model, input_signature)
    args = (examples,) if len(examples) > 1 else (examples[0],)
    # `forward(*args)`: torch.export sees one positional argument, the tuple `args`.
    auto = [{axis: torch.export.Dim.AUTO for axis in d} for d in dims]
    kwargs.setdefault("dynamic_shapes", ((auto,),) if len(examples) > 1 else ((auto[0],),))
    kwargs.setdefault("strict", False)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(*args)  # builds what is built lazily, outside the tracer
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # torch's own pytree deprecations
            program = torch.export.export(model, args, **kwargs)
    except Exception as error:
        raise RuntimeError(
            f"Could not export model '{getattr(model, 'name', type(model).__name__)}' with "
            "`torch.export` (format='torch'). Common causes: data-dependent control flow, or an "
            f"operation torch.export cannot trace. The error was: {error}"
        ) from error
    finally:
        model.train(was_training)
    with atomic_write(filepath) as tmp:
        torch.export.save(program, tmp)
    if verbose is None or verbose:
        print_msg(f"Saved PyTorch ExportedProgram at '{filepath}'.")
    return filepath
