"""`TFSMLayer`, `JaxLayer`, `FlaxLayer`: Keras layers that cannot exist on torch.

Each one runs another framework's program: a TensorFlow SavedModel (`TFSMLayer`) or a JAX
function / Flax module (`JaxLayer`, `FlaxLayer`). kerastorch runs everything as PyTorch and
never imports TensorFlow or JAX, so these classes exist (for `isinstance` checks and
Keras's API) but constructing one raises the error Keras raises on its torch backend
(`NotImplementedError` for `TFSMLayer`, `ValueError` for the JAX layers), explaining why and
what to use instead.

Example:
    >>> try:
    ...     JaxLayer(call_fn=lambda params, inputs: inputs)
    ... except ValueError as error:
    ...     print(str(error).splitlines()[0])
    JaxLayer is only supported with the JAX or Tensorflow backend. Current backend: torch
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.layer import Layer

_INSTEAD = (
    "Instead: wrap PyTorch code in `keras.layers.TorchModuleWrapper`, or rebuild the model "
    "with Keras layers and load its weights (`.keras` / `.weights.h5` files move between "
    "Keras and kerastorch); to serve a kerastorch model, use `model.export(path, "
    'format="onnx")` or a `torch.export` program.'
)


class TFSMLayer(Layer):
    """Keras's layer that reloads a TensorFlow SavedModel for inference: not available here.

    A SavedModel is a TensorFlow graph; running it needs TensorFlow's runtime, which
    kerastorch (pure PyTorch) does not use. Constructing one raises `NotImplementedError`.

    Args:
        filepath / call_endpoint / call_training_endpoint / trainable / name / dtype: Keras's
            arguments, accepted for the signature only.
    """

    def __init__(
        self,
        filepath: Any,
        call_endpoint: str = "serve",
        call_training_endpoint: str | None = None,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
    ):
        raise NotImplementedError(
            "The TFSMLayer is only currently supported with the TensorFlow backend.\n"
            "kerastorch runs on PyTorch only: a TensorFlow SavedModel "
            f"(filepath={filepath!r}) is a TensorFlow graph that needs TensorFlow's runtime to "
            f"execute, and kerastorch never imports TensorFlow. {_INSTEAD}"
        )


class JaxLayer(Layer):
    """Keras's layer that wraps a JAX function (`call_fn`, `init_fn`): not available here.

    Its `call_fn` is JAX code, run on JAX arrays under JAX's tracing; kerastorch (pure
    PyTorch) has no JAX runtime. Constructing one raises `ValueError`, as Keras's torch
    backend does.

    Args:
        call_fn / init_fn / params / state / seed / native_serialization_platforms: Keras's
            arguments, accepted for the signature only.
        **kwargs: base layer arguments.
    """

    def __init__(
        self,
        call_fn: Any,
        init_fn: Any = None,
        params: Any = None,
        state: Any = None,
        seed: Any = None,
        native_serialization_platforms: Any = None,
        **kwargs: Any,
    ):
        raise _jax_error(type(self).__name__, "a JAX function")


class FlaxLayer(JaxLayer):
    """Keras's layer that wraps a Flax module: not available here (see `JaxLayer`).

    Args:
        module / method / variables: Keras's arguments, accepted for the signature only.
        **kwargs: base layer arguments.
    """

    def __init__(self, module: Any, method: Any = None, variables: Any = None, **kwargs: Any):
        raise _jax_error(type(self).__name__, "a Flax module (JAX code)")


def _jax_error(class_name: str, what: str) -> ValueError:
    return ValueError(
        f"{class_name} is only supported with the JAX or Tensorflow backend. Current "
        f"backend: torch\nkerastorch runs on PyTorch only: {class_name} runs {what} on JAX "
        f"arrays, and kerastorch has no JAX runtime. {_INSTEAD}"
    )
