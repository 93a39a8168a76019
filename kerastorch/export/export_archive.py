"""`ExportArchive`: several inference endpoints of tracked models, as `torch.export` programs.

Keras's `ExportArchive` writes a TensorFlow SavedModel; that format needs TensorFlow, so
here the archive is written with `format="torch"`: a folder holding one `<endpoint>.pt2`
program per endpoint (each loads with `torch.export.load` where kerastorch is not
installed) and, when variable collections were added, `variable_collections.pt` (a dict of
lists of tensors, read with `torch.load`). `ExportArchive()` with Keras's default
`format="saved_model"` raises, saying so.

Example:
    >>> import os, tempfile, torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> archive = ExportArchive(format="torch")
    >>> archive.track(model)
    >>> _ = archive.add_endpoint("serve", lambda x: model(x, training=False),
    ...                          input_signature=[keras.InputSpec(shape=(None, 3))])
    >>> folder = os.path.join(tempfile.mkdtemp(), "served")
    >>> archive.write_out(folder, verbose=False)
    >>> program = torch.export.load(os.path.join(folder, "serve.pt2"))
    >>> tuple(program.module()(torch.ones(4, 3)).shape)
    (4, 2)
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from kerastorch.common.atomic import temporary_path
from kerastorch.common.progbar import print_msg
from kerastorch.export.signature import example_inputs


class _Endpoint(nn.Module):
    """`fn` as a module whose submodules are the tracked resources (their weights)."""

    def __init__(self, fn: Callable[..., Any], resources: list[nn.Module]):
        super().__init__()
        self.fn = fn
        self.resources = nn.ModuleList(resources)

    def forward(self, *args: Any) -> Any:
        return self.fn(*args)


class ExportArchive:
    """Collect endpoints (functions of tracked layers or models) and write them out.

    Args:
        format: `"torch"` (a folder of `.pt2` programs). Keras's `"saved_model"` needs
            TensorFlow and raises.
    """

    def __init__(self, format: str = "saved_model") -> None:
        if format != "torch":
            raise ValueError(
                f"ExportArchive(format={format!r}) is not available in kerastorch: a TensorFlow "
                "SavedModel (or Neptune model) needs TensorFlow to write. Use "
                "`ExportArchive(format='torch')`, which writes one `torch.export` program "
                "(`.pt2`) per endpoint, or `model.export(path, format='onnx')`."
            )
        self.format = format
        self._resources: list[nn.Module] = []
        self._endpoints: dict[str, tuple[Callable[..., Any], list[Any], dict[str, Any]]] = {}
        self._collections: dict[str, list[Any]] = {}

    def track(self, resource: nn.Module) -> None:
        """Track a layer or model: its weights become the endpoints' weights."""
        if not isinstance(resource, nn.Module):
            raise ValueError(
                "ExportArchive.track() takes a kerastorch layer or model (a torch.nn.Module). "
                f"Received: {resource!r} of type {type(resource).__name__}"
            )
        if not any(resource is r for r in self._resources):
            self._resources.append(resource)

    def add_endpoint(
        self, name: str, fn: Callable[..., Any], input_signature: Any = None, **kwargs: Any
    ) -> Callable[..., Any]:
        """Register `fn` as the endpoint `name`, traced on `input_signature` at `write_out`.

        Args:
            name: the endpoint's name (a Python identifier; the program's file name).
            fn: a function of tensors, one positional argument per signature entry.
            input_signature: a list of `InputSpec` / `keras.Input(...)` / tensors.
            **kwargs: passed on to `torch.export.export` (`strict`, `dynamic_shapes`).

        Returns:
            `fn`.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Endpoint names must be Python identifiers. Received: name={name!r}")
        if name in self._endpoints:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if input_signature is None:
            raise ValueError(
                f"add_endpoint('{name}') needs `input_signature` (a list of `keras.InputSpec` "
                "or `keras.Input(...)`, one per argument of `fn`): kerastorch traces `fn` "
                "with torch.export, which needs example shapes and dtypes."
            )
        signature = (
            list(input_signature)
            if isinstance(input_signature, (list, tuple))
            else [input_signature]
        )
        example_inputs(None, signature)  # fail here, not at write_out, on a bad signature
        self._endpoints[name] = (fn, signature, kwargs)
        return fn

    def track_and_add_endpoint(
        self, name: str, resource: nn.Module, input_signature: Any, **kwargs: Any
    ) -> Callable[..., Any]:
        """`track(resource)`, then `add_endpoint(name, resource, input_signature)`."""
        self.track(resource)
        return self.add_endpoint(name, resource, input_signature, **kwargs)

    def add_variable_collection(self, name: str, variables: Any) -> None:
        """Save `variables` (a list of Variables or tensors) under `name` with the archive."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Collection names must be Python identifiers. Received: {name!r}")
        variables = list(variables) if isinstance(variables, (list, tuple)) else [variables]
        for v in variables:
            if not isinstance(getattr(v, "value", v), torch.Tensor):
                raise ValueError(
                    f"add_variable_collection('{name}') takes Variables or tensors. "
                    f"Received: {v!r} of type {type(v).__name__}"
                )
        self._collections[name] = variables

    def write_out(self, filepath: Any, options: Any = None, verbose: bool = True) -> None:
        """Trace every endpoint and write the folder `filepath` (replaced only on success)."""
        if options is not None:
            raise ValueError(
                "`options` are TensorFlow SavedModel options; format='torch' has none."
            )
        if not self._endpoints:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        filepath = os.fspath(filepath)
        staging = temporary_path(filepath.rstrip(os.sep))
        os.makedirs(staging)
        try:
            for name, (fn, signature, kwargs) in self._endpoints.items():
                program = self._trace(name, fn, signature, dict(kwargs))
                torch.export.save(program, os.path.join(staging, f"{name}.pt2"))
            if self._collections:
                tensors = {
                    name: [getattr(v, "value", v).detach().cpu() for v in variables]
                    for name, variables in self._collections.items()
                }
                torch.save(tensors, os.path.join(staging, "variable_collections.pt"))
            if os.path.isdir(filepath):
                shutil.rmtree(filepath)
            os.replace(staging, filepath)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if verbose:
            print_msg(f"Saved artifact at '{filepath}'. Endpoints: {', '.join(self._endpoints)}.")

    def _trace(
        self, name: str, fn: Callable[..., Any], signature: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        examples, dims = example_inputs(None, signature)
        auto = tuple({axis: torch.export.Dim.AUTO for axis in d} for d in dims)
        kwargs.setdefault("dynamic_shapes", (auto,))
        kwargs.setdefault("strict", False)
        modes = [(r, r.training) for r in self._resources]
        for resource, _ in modes:
            resource.eval()
        try:
            with torch.no_grad():
                fn(*examples)  # builds what is built lazily, outside the tracer
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # torch's pytree deprecations
                return torch.export.export(
                    _Endpoint(fn, self._resources), tuple(examples), **kwargs
                )
        except Exception as error:
            raise RuntimeError(
                f"Could not trace endpoint '{name}' with torch.export: {error}"
            ) from error
        finally:
            for resource, training in modes:
                resource.train(training)
