"""Distillation losses: how a `Distiller` compares the teacher's and the student's outputs.

`LogitsDistillation` softens both models' logits by a temperature and compares them (KL
divergence by default); `FeatureDistillation` compares the outputs of intermediate layers (or
the final outputs). Subclass `DistillationLoss` and override `compute_loss` for your own.

As in Keras, `LogitsDistillation` takes the softmax of the scaled logits and multiplies by
`temperature**2` only when its loss is a `keras.losses.KLDivergence` *instance*; a loss given
by name (the default `"kl_divergence"` resolves to the function) is applied to the scaled
logits as they are.

Example:
    >>> import torch
    >>> from kerastorch.distillation import LogitsDistillation
    >>> teacher = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> student = torch.tensor([[2.0, 1.0, 4.0], [3.0, 6.0, 2.0]])
    >>> loss = LogitsDistillation(temperature=3.0, loss="categorical_crossentropy")
    >>> round(float(loss.compute_loss(teacher, student)), 4)
    4.2133
"""

from __future__ import annotations

from typing import Any

from kerastorch import losses, ops
from kerastorch.common import serialization, tree


def _convert_loss_to_function(loss_item: Any) -> Any:
    """A loss name resolved to its function or class instance; anything else as it is."""
    if isinstance(loss_item, str):
        return losses.get(loss_item)
    return loss_item


def _deserialize_loss_structure(config: Any) -> Any:
    """`losses.deserialize` over a nested structure of serialized losses (or `None`s)."""
    if config is None:
        return None
    if isinstance(config, (list, tuple)):
        return [_deserialize_loss_structure(item) for item in config]
    if isinstance(config, dict) and "class_name" not in config:
        return {key: _deserialize_loss_structure(value) for key, value in config.items()}
    return losses.deserialize(config)


def _sum_of(loss_values: Any) -> Any:
    """The sum of a structure of scalar losses (Python zeros for skipped outputs)."""
    return ops.sum(ops.stack(tree.flatten(loss_values)))


class DistillationLoss:
    """Base class of the distillation losses: override `compute_loss`.

    Example:
        >>> import torch
        >>> from kerastorch import ops
        >>> class MeanGap(DistillationLoss):
        ...     def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        ...         return ops.mean(ops.abs(teacher_outputs - student_outputs))
        >>> float(MeanGap().compute_loss(torch.ones(2, 3), torch.zeros(2, 3)))
        1.0
    """

    _keras_module = "keras.distillation"

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any) -> Any:
        """The (scalar) distillation loss between the teacher's and the student's outputs."""
        raise NotImplementedError("Subclasses must implement compute_loss")

    def validate_outputs(self, teacher_outputs: Any, student_outputs: Any) -> None:
        """Raise `ValueError` unless the two outputs have the same nested structure."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher: Any, student: Any) -> None:
        """Raise `ValueError` if the models cannot be distilled with this loss (no check here)."""


class FeatureDistillation(DistillationLoss):
    """Compare the outputs of a teacher layer and a student layer (or the final outputs).

    Args:
        loss: a loss name, function or `Loss` instance, or a nested structure of them matching
            the outputs (`None` skips an output; at least one must be given). Defaults to
            `"mse"`.
        teacher_layer_name: the teacher layer whose output is compared; `None`: the final
            output. A layer name needs a Functional or Sequential teacher.
        student_layer_name: the same for the student.

    Example:
        >>> import torch
        >>> loss = FeatureDistillation(loss="mse")
        >>> float(loss.compute_loss(torch.ones(2, 3), torch.zeros(2, 3)))
        1.0
    """

    def __init__(
        self,
        loss: Any = "mse",
        teacher_layer_name: str | None = None,
        student_layer_name: str | None = None,
    ):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = tree.map_structure(_convert_loss_to_function, loss)
        if all(item is None for item in tree.flatten(self.loss)):
            raise ValueError(
                "The `loss` argument in `FeatureDistillation` must "
                "contain at least one non-`None` value."
            )

    def validate_model_compatibility(self, teacher: Any, student: Any) -> None:
        """Named layers need models with a graph (Functional/Sequential) that hold them."""
        if self.teacher_layer_name is not None or self.student_layer_name is not None:
            subclassed = [
                role
                for role, model in (("teacher", teacher), ("student", student))
                if getattr(model, "inputs", None) is None
            ]
            if subclassed:
                raise ValueError(
                    "FeatureDistillation with specific layer names requires "
                    f"Functional or Sequential models. The {' and '.join(subclassed)} "
                    "model(s) appear to be subclassed (no symbolic "
                    "inputs/outputs). Either use Functional/Sequential "
                    "models, or use FeatureDistillation without layer names "
                    "(to distill final outputs only), or use "
                    "LogitsDistillation instead."
                )
        for role, model, name in (
            ("teacher", teacher, self.teacher_layer_name),
            ("student", student, self.student_layer_name),
        ):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as error:
                    raise ValueError(f"In {role} model: {error}") from error

    def validate_outputs(self, teacher_outputs: Any, student_outputs: Any) -> None:
        """Raise `ValueError` unless the outputs and `loss` have the same structure."""
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as error:
            raise ValueError(
                f"Loss structure mismatch. Loss structure: {_structure(self.loss)}, "
                f"Output structure: {_structure(teacher_outputs)}. Error: {error}"
            ) from error

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any) -> Any:
        """The sum over outputs of the mean of each loss (`loss(teacher, student)`)."""

        def apply_loss(loss_fn: Any, teacher_features: Any, student_features: Any) -> Any:
            if loss_fn is None:
                return 0.0
            return ops.mean(loss_fn(teacher_features, student_features))

        return _sum_of(tree.map_structure(apply_loss, self.loss, teacher_outputs, student_outputs))

    def get_config(self) -> dict[str, Any]:
        return {
            "loss": serialization.serialize_keras_object(self.loss),
            "teacher_layer_name": self.teacher_layer_name,
            "student_layer_name": self.student_layer_name,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> FeatureDistillation:
        config = dict(config)
        config["loss"] = _deserialize_loss_structure(config["loss"])
        return cls(**config)


class LogitsDistillation(DistillationLoss):
    """Compare temperature-softened logits of the teacher and the student.

    Args:
        temperature: the logits are divided by it (> 0); higher values soften the teacher's
            distribution. Defaults to 3.0.
        loss: a loss name, function or `Loss` instance, or a nested structure of them matching
            the outputs (`None` skips an output; at least one must be given). A
            `keras.losses.KLDivergence` instance compares the softmax probabilities and is
            scaled by `temperature**2`. Defaults to `"kl_divergence"`.

    Example:
        >>> import torch
        >>> from kerastorch import losses
        >>> loss = LogitsDistillation(temperature=2.0, loss=losses.KLDivergence())
        >>> float(loss.compute_loss(torch.ones(2, 3), torch.ones(2, 3)))
        0.0
    """

    def __init__(self, temperature: float = 3.0, loss: Any = "kl_divergence"):
        self.temperature = temperature
        self.loss = tree.map_structure(_convert_loss_to_function, loss)
        if all(item is None for item in tree.flatten(self.loss)):
            raise ValueError("At least one loss must be non-`None`.")
        if not isinstance(self.temperature, (int, float)):
            raise ValueError(f"temperature must be a number, got {type(self.temperature)}")
        if self.temperature <= 0.0:
            raise ValueError("temperature must be positive.")

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs: Any) -> Any:
        """The sum over outputs of each loss on the logits divided by `temperature`."""
        temperature = self.temperature
        teacher_scaled = tree.map_structure(lambda x: ops.divide(x, temperature), teacher_outputs)
        student_scaled = tree.map_structure(lambda x: ops.divide(x, temperature), student_outputs)

        def apply_loss(loss_fn: Any, teacher_logits: Any, student_logits: Any) -> Any:
            if loss_fn is None:
                return 0.0
            if isinstance(loss_fn, losses.KLDivergence):
                teacher_probs = ops.softmax(teacher_logits, axis=-1)
                student_probs = ops.softmax(student_logits, axis=-1)
                return ops.mean(loss_fn(teacher_probs, student_probs)) * temperature**2
            return ops.mean(loss_fn(teacher_logits, student_logits))

        return _sum_of(tree.map_structure(apply_loss, self.loss, teacher_scaled, student_scaled))

    def get_config(self) -> dict[str, Any]:
        return {
            "temperature": self.temperature,
            "loss": serialization.serialize_keras_object(self.loss),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LogitsDistillation:
        config = dict(config)
        config["loss"] = _deserialize_loss_structure(config["loss"])
        return cls(**config)


def _structure(value: Any) -> Any:
    """`value` with its leaves replaced by `None` (what Keras's `tree.structure` prints)."""
    return tree.map_structure(lambda _: None, value)
