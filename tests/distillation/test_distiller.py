import json
import re

import numpy as np
import pytest

import kerastorch
from kerastorch.distillation import Distiller, FeatureDistillation, LogitsDistillation
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)
X = RNG.random((12, 5)).astype("float32")
Y = RNG.integers(0, 4, (12,)).astype("int32")

# Keras's feature extractors (inputs: a list of one) warn when called with a tensor.
KERAS_EXTRACTOR_WARNING = pytest.mark.filterwarnings(
    "ignore:.*The structure of `inputs` doesn't match:UserWarning"
)


def _pair(module, prefix, hidden):
    layers = module.layers
    return module.Sequential(
        [
            module.Input((5,), name=f"{prefix}_input"),
            layers.Dense(hidden, activation="relu", name=f"{prefix}_dense_1"),
            layers.Dense(6, activation="relu", name=f"{prefix}_dense_2"),
            layers.Dense(4, name=f"{prefix}_output"),
        ],
        name=prefix,
    )


def _distillers(keras, losses, **kwargs):
    """The same distiller in Keras and here, teacher and student weights copied over (the
    same seeded weights whatever ran before: relu kinks make some draws differ by more than
    float32 noise after a few SGD steps)."""
    keras.utils.set_random_seed(7)
    made = []
    for module in (keras, kerastorch):
        teacher, student = _pair(module, "teacher", 8), _pair(module, "student", 6)
        made.append(module.distillation.Distiller(teacher, student, losses(module), **kwargs))
    theirs, ours = made
    ours.teacher.set_weights(theirs.teacher.get_weights())
    ours.student.set_weights(theirs.student.get_weights())
    for distiller, module in ((theirs, keras), (ours, kerastorch)):
        distiller.compile(
            optimizer=module.optimizers.SGD(0.1),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    return theirs, ours


def _logits(module):
    return module.distillation.LogitsDistillation(temperature=2.0)


def _logits_kl_and_features(module):
    distillation = module.distillation
    return [
        distillation.LogitsDistillation(temperature=3.0, loss=module.losses.KLDivergence()),
        distillation.FeatureDistillation(
            loss="mse", teacher_layer_name="teacher_dense_2", student_layer_name="student_dense_2"
        ),
    ]


@KERAS_EXTRACTOR_WARNING
@pytest.mark.parity
@pytest.mark.parametrize(
    ("losses", "kwargs"),
    [
        (_logits, {"student_loss_weight": 0.3}),
        (_logits_kl_and_features, {"distillation_loss_weights": [1.0, 0.5]}),
        (_logits, {"student_loss_weight": 0.0}),
    ],
    ids=["logits", "kl_and_features", "distillation_only"],
)
def test_training_matches_keras(losses, kwargs):
    keras = keras_or_skip()
    theirs, ours = _distillers(keras, losses, **kwargs)
    for _ in range(3):
        expected = theirs.train_on_batch(X[:6], Y[:6], return_dict=True)
        actual = ours.train_on_batch(X[:6], Y[:6], return_dict=True)
        assert sorted(actual) == sorted(expected)
        for name in expected:  # float32 SGD steps: summation order may differ in the last bit
            assert_close(actual[name], expected[name], atol=1e-5, rtol=1e-4)
    history_theirs = theirs.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    history_ours = ours.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    assert sorted(history_ours) == sorted(history_theirs)
    for name, values in history_theirs.items():
        assert_close(history_ours[name], values, atol=1e-5, rtol=1e-4)
    assert_close(ours.student.get_weights(), theirs.student.get_weights(), atol=1e-5, rtol=1e-4)
    assert_close(ours.teacher.get_weights(), theirs.teacher.get_weights(), atol=0, rtol=0)
    assert_close(ours.evaluate(X, Y, verbose=0), theirs.evaluate(X, Y, verbose=0), rtol=1e-4)
    assert_close(ours.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-4)
    assert ours.metrics_names == theirs.metrics_names


@pytest.mark.parity
def test_config_matches_keras_and_round_trips():
    keras = keras_or_skip()
    theirs, ours = _distillers(keras, _logits_kl_and_features, student_loss_weight=0.7)
    config = ours.get_config()
    assert json.loads(json.dumps(config)) == json.loads(json.dumps(theirs.get_config()))
    restored = Distiller.from_config(json.loads(json.dumps(config)))
    assert restored.student_loss_weight == 0.7
    assert restored.distillation_loss_weights == [1.0, 1.0]
    assert isinstance(restored.distillation_losses[1], FeatureDistillation)
    assert restored.distillation_losses[0].temperature == 3.0
    assert restored.teacher.trainable is False
    assert tuple(restored(X[:2]).shape) == (2, 4)
    their_restored = keras.distillation.Distiller.from_config(json.loads(json.dumps(config)))
    assert their_restored.distillation_losses[1].student_layer_name == "student_dense_2"


@KERAS_EXTRACTOR_WARNING
@pytest.mark.parity
def test_keras_files_move_both_ways(tmp_path):
    keras = keras_or_skip()
    theirs, ours = _distillers(keras, _logits_kl_and_features)
    ours.train_on_batch(X[:6], Y[:6])
    theirs.train_on_batch(X[:6], Y[:6])
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    custom_compile = re.escape("`compile()` was not called as part of model loading")
    with pytest.warns(UserWarning, match=custom_compile):
        loaded_by_keras = keras.models.load_model(tmp_path / "ours.keras")
    with pytest.warns(UserWarning, match=custom_compile):
        loaded_here = kerastorch.saving.load_model(tmp_path / "theirs.keras")
    assert isinstance(loaded_here, Distiller)
    assert loaded_here.student_loss_weight == 0.5
    assert loaded_here.distillation_losses[1].student_layer_name == "student_dense_2"
    assert loaded_by_keras.distillation_losses[1].teacher_layer_name == "teacher_dense_2"
    assert_close(loaded_by_keras.predict(X, verbose=0), ours.predict(X, verbose=0))
    assert_close(loaded_here(X), theirs.predict(X, verbose=0))


def _models(teacher_hidden=8):
    return _pair(kerastorch, "teacher", teacher_hidden), _pair(kerastorch, "student", 6)


class _Subclassed(kerastorch.Model):
    def __init__(self):
        super().__init__()
        self.dense = kerastorch.layers.Dense(4)

    def call(self, inputs):
        return self.dense(inputs)


def test_teacher_is_frozen_and_call_is_the_students():
    teacher, student = _models()
    distiller = Distiller(teacher, student, LogitsDistillation())
    assert teacher.trainable is False
    assert student.trainable is True
    assert_close(distiller(X), student(X))
    assert distiller.name == "distiller"
    assert distiller.distillation_losses[0].temperature == 3.0


def test_subclassed_models_distill_final_outputs():
    teacher, student = _Subclassed(), _Subclassed()
    distiller = Distiller(teacher, student, [LogitsDistillation(), FeatureDistillation()])
    distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = distiller.fit(X, Y, epochs=1, verbose=0).history
    assert sorted(history) == ["distillation_loss", "loss", "student_loss", "total_loss"]
    assert np.isfinite(history["loss"][0])
    with pytest.raises(ValueError, match="The teacher model\\(s\\) appear to be subclassed"):
        Distiller(teacher, _models()[1], FeatureDistillation(teacher_layer_name="dense"))


def test_feature_extractors_return_every_named_layer():
    teacher, student = _models()
    losses = [
        FeatureDistillation(
            teacher_layer_name="teacher_dense_1", student_layer_name="student_dense_1"
        ),
        FeatureDistillation(
            teacher_layer_name="teacher_dense_2", student_layer_name="student_dense_2"
        ),
    ]
    distiller = Distiller(teacher, student, losses)
    assert len(distiller._teacher_feature_extractor.outputs) == 3
    assert len(distiller._student_feature_extractor.outputs) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"teacher": "not_a_model"}, "Teacher must be a keras.Model"),
        ({"student": "not_a_model"}, "Student must be a keras.Model"),
        ({"distillation_losses": None}, "'distillation_losses' cannot be `None`"),
        ({"student_loss_weight": "0.5"}, "student_loss_weight must be a number"),
        ({"student_loss_weight": 1.5}, "must be between 0.0 and 1.0, got 1.5"),
        ({"distillation_loss_weights": [1.0]}, r"distillation_loss_weights \(1\) must match"),
        ({"distillation_losses": FeatureDistillation(teacher_layer_name="nope")},
         "In teacher model: No such layer: nope"),
        ({"teacher": _pair(kerastorch, "wide", 8)}, None),
    ],
)  # fmt: skip
def test_constructor_errors(kwargs, message):
    teacher, student = _models()
    losses = [LogitsDistillation(), LogitsDistillation()]
    arguments = {"teacher": teacher, "student": student, "distillation_losses": losses, **kwargs}
    if message is None:  # a compatible teacher: no error
        assert Distiller(**arguments).teacher.name == "wide"
        return
    with pytest.raises(ValueError, match=message):
        Distiller(**arguments)


def test_incompatible_models_are_refused():
    student = _models()[1]
    other_input = kerastorch.Sequential([kerastorch.Input((7,)), kerastorch.layers.Dense(4)])
    with pytest.raises(ValueError, match="input shapes are incompatible"):
        Distiller(other_input, student, LogitsDistillation())
    other_output = kerastorch.Sequential([kerastorch.Input((5,)), kerastorch.layers.Dense(3)])
    with pytest.raises(ValueError, match="output shapes are incompatible"):
        Distiller(other_output, student, LogitsDistillation())
    other_dtype = kerastorch.Sequential(
        [kerastorch.Input((5,), dtype="float16"), kerastorch.layers.Dense(4)]
    )
    with pytest.raises(ValueError, match="input dtypes must match"):
        Distiller(other_dtype, student, LogitsDistillation())


def test_compile_errors():
    distiller = Distiller(*_models(), LogitsDistillation())
    with pytest.raises(ValueError, match="'loss' cannot be `None`"):
        distiller.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="metrics must be a list or tuple"):
        distiller.compile(optimizer="sgd", loss="mse", metrics="accuracy")


def test_non_scalar_distillation_loss_is_refused():
    class PerSample(LogitsDistillation):
        def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
            return (teacher_outputs - student_outputs).sum(-1)

    distiller = Distiller(*_models(), PerSample())
    distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="returned a non-scalar loss with shape"):
        distiller.train_on_batch(X, Y)
