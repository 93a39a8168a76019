"""Knowledge distillation, as `keras.distillation`: a `Distiller` model trains a student from a
frozen teacher with `LogitsDistillation` / `FeatureDistillation` losses (or your own
`DistillationLoss`).

Example:
    >>> from kerastorch import distillation
    >>> distillation.__all__
    ['DistillationLoss', 'Distiller', 'FeatureDistillation', 'LogitsDistillation']
"""

from kerastorch.common import registry
from kerastorch.distillation.distillation_loss import (
    DistillationLoss,
    FeatureDistillation,
    LogitsDistillation,
)
from kerastorch.distillation.distiller import Distiller

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]

registry.register_namespace("distillation", globals(), __all__)
