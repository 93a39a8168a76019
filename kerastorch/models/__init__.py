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

# Only the model classes: the saving functions are not modeling objects, and a config that
# names them must never resolve (whatever module path it writes).
registry.register_namespace("models", globals(), ["Functional", "Model", "Sequential"])
