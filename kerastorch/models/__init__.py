"""Models: `Model` (functional or subclassed), `Sequential`, `Functional`; saving helpers."""

from kerastorch.common import registry
from kerastorch.models.cloning import clone_model
from kerastorch.models.functional import Functional
from kerastorch.models.model import Model
from kerastorch.models.model_io import load_model, model_from_json, save_model
from kerastorch.models.sequential import Sequential

__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]

registry.register_namespace("models", globals(), __all__)
