"""`Distiller`: train a student model from a frozen teacher model (knowledge distillation).

A `Distiller` is a `Model` whose forward pass is the student's. Its loss mixes the student's
supervised loss (the `loss` given to `compile`) and the distillation losses:

    total = student_loss_weight * student_loss
            + (1 - student_loss_weight) * sum(weight_i * distillation_loss_i)

`fit` reports `loss` (the total), the compiled metrics, and `student_loss`,
`distillation_loss` and `total_loss`. Only the student is trained: the teacher is frozen
(`trainable = False`) when the `Distiller` is made.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> from kerastorch.distillation import Distiller, LogitsDistillation
    >>> teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    >>> student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    >>> distiller = Distiller(teacher, student, LogitsDistillation(temperature=2.0))
    >>> distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    >>> logs = distiller.train_on_batch(np.ones((2, 4)), np.array([0, 1]), return_dict=True)
    >>> sorted(logs)
    ['distillation_loss', 'loss', 'student_loss', 'total_loss']
    >>> teacher.trainable
    False
"""

from __future__ import annotations

from typing import Any

from kerastorch import ops
from kerastorch.common import serialization, tree
from kerastorch.distillation.distillation_loss import _convert_loss_to_function
from kerastorch.layers.layer import Layer
from kerastorch.metrics import Mean
from kerastorch.models import Model, Sequential


class Distiller(Model):
    """A model that trains `student` to match `teacher` (frozen) and the labels.

    Args:
        teacher: a trained `keras.Model`, the knowledge source; frozen here.
        student: the `keras.Model` to train.
        distillation_losses: a `DistillationLoss` (`LogitsDistillation`,
            `FeatureDistillation`, ...) or a list of them.
        distillation_loss_weights: one weight per distillation loss (list); `None`: all 1.0.
        student_loss_weight: the share of the student's supervised loss, in [0, 1]; the
            distillation losses get `1 - student_loss_weight`. Defaults to 0.5.
        name: the model's name. Defaults to `"distiller"`.
        **kwargs: passed to `Model`.
    """

    _keras_module = "keras.distillation"

    def __init__(
        self,
        teacher: Model,
        student: Model,
        distillation_losses: Any,
        distillation_loss_weights: list[float] | None = None,
        student_loss_weight: float = 0.5,
        name: str = "distiller",
        **kwargs: Any,
    ):
        super().__init__(name=name, **kwargs)
        self._validate_models(teacher, student)
        self.teacher = teacher
        self.student = student

        if not isinstance(student_loss_weight, (int, float)):
            raise ValueError(
                f"student_loss_weight must be a number, got {type(student_loss_weight)}"
            )
        if student_loss_weight < 0.0 or student_loss_weight > 1.0:
            raise ValueError(
                f"student_loss_weight must be between 0.0 and 1.0, got {student_loss_weight}"
            )
        self.student_loss_weight = student_loss_weight

        if distillation_losses is None:
            raise ValueError(
                "'distillation_losses' cannot be `None`. Provide a distillation loss (e.g., "
                "LogitsDistillation or FeatureDistillation) or a list of distillation losses."
            )
        if not isinstance(distillation_losses, (list, tuple)):
            self.distillation_losses = [distillation_losses]
            self.distillation_loss_weights = [1.0]
        else:
            self.distillation_losses = distillation_losses
            if distillation_loss_weights is None:
                self.distillation_loss_weights = [1.0] * len(distillation_losses)
            elif len(distillation_loss_weights) != len(distillation_losses):
                raise ValueError(
                    f"Number of distillation_loss_weights ({len(distillation_loss_weights)}) "
                    f"must match number of distillation_losses ({len(distillation_losses)})"
                )
            else:
                self.distillation_loss_weights = distillation_loss_weights

        for distillation_loss in self.distillation_losses:
            distillation_loss.validate_model_compatibility(teacher, student)
        self._create_multi_feature_extractors()

        self.teacher.trainable = False
        self.student_loss_tracker = Mean(name="student_loss")
        self.distillation_loss_tracker = Mean(name="distillation_loss")
        self.total_loss_tracker = Mean(name="total_loss")

    # -- checks on the two models ----------------------------------------------------------
    def _validate_models(self, teacher: Any, student: Any) -> None:
        if not isinstance(teacher, Model):
            raise ValueError(f"Teacher must be a keras.Model, got {type(teacher)}")
        if not isinstance(student, Model):
            raise ValueError(f"Student must be a keras.Model, got {type(student)}")
        if teacher.inputs is None or student.inputs is None:
            return  # a subclassed model: nothing symbolic to compare
        for check in (_assert_shapes_are_compatible, _assert_same_dtype):
            for context in ("input", "output"):
                tree.map_structure(
                    lambda t, s, check=check, context=context: check(t, s, context),
                    getattr(teacher, f"{context}s"),
                    getattr(student, f"{context}s"),
                )

    # -- feature extraction ------------------------------------------------------------------
    def _create_multi_feature_extractors(self) -> None:
        """One functional model per side returning the final output and every named layer's
        output, so that all features come from a single forward pass."""
        teacher_names: list[str] = []
        student_names: list[str] = []
        for distillation_loss in self.distillation_losses:
            for attribute, names in (
                ("teacher_layer_name", teacher_names),
                ("student_layer_name", student_names),
            ):
                layer_name = getattr(distillation_loss, attribute, None)
                if layer_name and layer_name not in names:
                    names.append(layer_name)
        # Kept out of torch's module registry (Keras lists them in `layers`): they hold only
        # the teacher's and student's own layers, and torch's `functional_call` (the symbolic
        # tracing of `graph/tracing.py`) does not restore modules reached by two paths.
        state = self.__dict__
        state["_teacher_feature_extractor"] = _create_feature_extractor(self.teacher, teacher_names)
        state["_student_feature_extractor"] = _create_feature_extractor(self.student, student_names)

    def _extract_all_teacher_features(self, x: Any) -> dict[str, Any]:
        if self._teacher_feature_extractor is not None:
            return self._teacher_feature_extractor(x, training=False)
        return {"final_output": self.teacher(x, training=False)}

    def _extract_all_student_features(self, x: Any, y_pred: Any) -> dict[str, Any]:
        if self._student_feature_extractor is not None:
            return self._student_feature_extractor(x, training=True)
        return {"final_output": y_pred}

    def _get_distillation_loss_features(
        self, distillation_loss: Any, all_features: dict[str, Any], is_teacher: bool
    ) -> Any:
        attribute = "teacher_layer_name" if is_teacher else "student_layer_name"
        layer_name = getattr(distillation_loss, attribute) or "final_output"
        if layer_name not in all_features:
            raise ValueError(
                f"Layer '{layer_name}' not found in extracted features. "
                f"Available: {list(all_features.keys())}"
            )
        return all_features[layer_name]

    # -- training ----------------------------------------------------------------------------
    def compile(
        self, optimizer: Any = "adam", loss: Any = None, metrics: Any = None, **kwargs: Any
    ) -> None:
        """Compile: `loss` is the student's supervised loss (required); `optimizer` trains
        the student; `metrics` (a list or tuple) are computed on the student's outputs."""
        if loss is None:
            raise ValueError("'loss' cannot be `None`.")
        self._student_loss = tree.map_structure(_convert_loss_to_function, loss)
        self._student_loss_for_serialization = loss
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"metrics must be a list or tuple, got {type(metrics)}")
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs: Any, training: bool | None = None, **kwargs: Any) -> Any:
        """The student's outputs."""
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> Any:
        """The weighted sum of the student loss and the distillation losses (as in the module
        docstring); `sample_weight` is not used, as in Keras. Updates the three trackers."""
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss: Any = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            loss_values = tree.map_structure(
                lambda fn, target, prediction: fn(target, prediction),
                self._student_loss,
                y,
                y_pred,
            )
            flat_losses = tree.flatten(loss_values)
            student_loss = (
                ops.sum(ops.stack(flat_losses)) if len(flat_losses) > 1 else flat_losses[0]
            )
            if len(getattr(student_loss, "shape", ())) > 0:
                student_loss = ops.mean(student_loss)

        distillation_loss: Any = 0.0
        if self.student_loss_weight < 1.0:
            teacher_features = self._extract_all_teacher_features(x)
            student_features = self._extract_all_student_features(x, y_pred)
            for loss_fn, weight in zip(
                self.distillation_losses, self.distillation_loss_weights, strict=True
            ):
                teacher_output, student_output = self._outputs_for(
                    loss_fn, teacher_features, student_features, y_pred
                )
                loss_fn.validate_outputs(teacher_output, student_output)
                current = loss_fn.compute_loss(teacher_output, student_output)
                if len(getattr(current, "shape", ())) > 0:
                    raise ValueError(
                        f"Distillation loss {loss_fn.__class__.__name__} returned a "
                        f"non-scalar loss with shape {current.shape}. The compute_loss "
                        "method must return a scalar tensor."
                    )
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, current))

        total_loss = ops.add(
            ops.multiply(self.student_loss_weight, student_loss),
            ops.multiply(ops.subtract(1.0, self.student_loss_weight), distillation_loss),
        )
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total_loss)
        return total_loss

    def _outputs_for(
        self, loss_fn: Any, teacher_features: Any, student_features: Any, y_pred: Any
    ) -> tuple[Any, Any]:
        """The teacher and student outputs one distillation loss compares."""
        if getattr(loss_fn, "teacher_layer_name", None) is None:
            return teacher_features["final_output"], y_pred
        try:
            return (
                self._get_distillation_loss_features(loss_fn, teacher_features, True),
                self._get_distillation_loss_features(loss_fn, student_features, False),
            )
        except ValueError as error:
            raise RuntimeError(
                f"Failed to extract features for {type(loss_fn).__name__} targeting teacher "
                f"layer '{loss_fn.teacher_layer_name}' and student layer "
                f"'{loss_fn.student_layer_name}'. Original error: {error}"
            ) from error

    def reset_metrics(self) -> None:
        """Reset every metric, the three loss trackers included."""
        super().reset_metrics()
        self.student_loss_tracker.reset_state()
        self.distillation_loss_tracker.reset_state()
        self.total_loss_tracker.reset_state()

    # -- serialization -----------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config = Layer.get_config(self)  # Keras's subclassed-model config: name, trainable, dtype
        config.update(
            {
                "teacher": serialization.serialize_keras_object(self.teacher),
                "student": serialization.serialize_keras_object(self.student),
                "distillation_losses": [
                    serialization.serialize_keras_object(loss) for loss in self.distillation_losses
                ],
                "distillation_loss_weights": self.distillation_loss_weights,
                "student_loss_weight": self.student_loss_weight,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Distiller:
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = serialization.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        config["distillation_losses"] = [
            serialization.deserialize_keras_object(loss, custom_objects=custom_objects)
            for loss in config["distillation_losses"]
        ]
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name")
        return cls(**config)


def _assert_shapes_are_compatible(teacher: Any, student: Any, context: str) -> None:
    shape1, shape2 = teacher.shape, student.shape
    if len(shape1) != len(shape2):
        raise ValueError(
            f"Teacher and student {context} shapes have different dimensions. "
            f"Teacher: {shape1}, Student: {shape2}."
        )
    for dim1, dim2 in zip(shape1, shape2, strict=True):
        if dim1 is not None and dim2 is not None and dim1 != dim2:
            raise ValueError(
                f"Teacher and student {context} shapes are incompatible. "
                f"Teacher: {shape1}, Student: {shape2}. All dimensions must match."
            )


def _assert_same_dtype(teacher: Any, student: Any, context: str) -> None:
    teacher_dtype, student_dtype = teacher.dtype, student.dtype
    if teacher_dtype != student_dtype:
        raise ValueError(
            f"Teacher and student {context} dtypes must match. "
            f"Teacher: {teacher_dtype}, Student: {student_dtype}."
        )


def _create_feature_extractor(model: Model, layer_names: list[str]) -> Model | None:
    """A functional model over `model`'s graph returning `{"final_output": ..., name: ...}`;
    `None` without layer names."""
    if not layer_names:
        return None
    if model.inputs is None:
        raise ValueError(
            f"Cannot create feature extractor for {model.name}. "
            "The model has no symbolic inputs attribute."
        )
    final_output = model.layers[-1].output if isinstance(model, Sequential) else model.output
    outputs = {"final_output": final_output}
    for layer_name in layer_names:
        outputs[layer_name] = model.get_layer(name=layer_name).output
    return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor")
