"""`TorchModuleWrapper`: any `torch.nn.Module` used as a Keras layer.

The module's parameters become the layer's weights (trainable as the parameters'
`requires_grad` says), so `fit` trains them and `get_weights` returns them (in torch's
layout, as Keras does). Saving writes the module's `state_dict` entries by key, as Keras
does. Its config stores the pickled module, which only loads with `safe_mode=False`.

A plain module assigned as an attribute of a subclassed `Model` is wrapped automatically.

Example:
    >>> import torch
    >>> layer = TorchModuleWrapper(torch.nn.Linear(3, 2))
    >>> layer(torch.ones(4, 3)).shape
    torch.Size([4, 2])
    >>> [w.shape for w in layer.weights]
    [(2, 3), (2,)]
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch.common.safe_mode import in_safe_mode
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable


class TorchModuleWrapper(Layer):
    """Wrap a `torch.nn.Module` as a layer.

    Args:
        module: the torch module (a lazy module must be initialized first).
        name: the layer's name.
        output_shape: the output shape, for symbolic calls that cannot be traced.
    """

    def __init__(
        self, module: nn.Module, name: str | None = None, output_shape: Any = None, **kwargs: Any
    ):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, nn.Module):
            raise TypeError(
                f"TorchModuleWrapper expects a `torch.nn.Module`. Received: module={module!r} "
                f"(of type {type(module).__name__})"
            )
        if isinstance(module, nn.modules.lazy.LazyModuleMixin) and (
            module.has_uninitialized_params()
        ):
            raise ValueError(
                "LazyModules are not supported unless they are already initialized. "
                f"Received uninitialized LazyModule: module={module}"
            )
        self.module = module
        self.output_shape = output_shape
        for key, param in module.named_parameters():
            owner, attr = _owner_of(module, key)
            variable = Variable(owner, attr, key, trainable=param.requires_grad)
            self.track_variable(variable, trainable=param.requires_grad)
        self.built = True

    def call(self, *args: Any, training: bool | None = None, **kwargs: Any) -> Any:
        self.module.train(training is not False)
        return self.module(*args, **kwargs)

    def compute_output_shape(self, *args: Any, **kwargs: Any) -> Any:
        if self.output_shape is None:
            return super().compute_output_shape(*args, **kwargs)
        return self.output_shape

    # -- saving: the module's state_dict, by key (Keras's layout) --------------------------
    def save_own_variables(self, store: Any) -> None:
        for key, value in self.module.state_dict().items():
            store[key] = value.detach().cpu().numpy()

    def load_own_variables(self, store: Any) -> None:
        state = {}
        for key in store:
            key = key.decode() if isinstance(key, bytes) else key
            state[key] = torch.as_tensor(np.asarray(store[key]))
        self.module.load_state_dict(state)

    # -- config ----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        return {**super().get_config(), "module": encoded, "output_shape": self.output_shape}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None, safe_mode: bool | None = None
    ) -> TorchModuleWrapper:
        config = dict(config)
        if isinstance(config.get("module"), str):
            if safe_mode is None:
                safe_mode = in_safe_mode()
            if safe_mode is not False:
                raise ValueError(
                    "Requested the deserialization of a `torch.nn.Module` object via "
                    "`torch.load()`. This carries a potential risk of arbitrary code execution "
                    "and thus it is disallowed by default. If you trust the source of the "
                    "artifact, you can override this error by passing `safe_mode=False` to the "
                    "loading function, or calling "
                    "`keras.config.enable_unsafe_deserialization()."
                )
            buffer = io.BytesIO(base64.b64decode(config["module"].encode("ascii")))
            config["module"] = torch.load(buffer, weights_only=False)
        return super().from_config(config)


def _owner_of(module: nn.Module, key: str) -> tuple[nn.Module, str]:
    """The submodule that stores parameter `key` ("0.weight") and its attribute name."""
    *path, attr = key.split(".")
    owner = module
    for part in path:
        owner = owner.get_submodule(part)
    return owner, attr
