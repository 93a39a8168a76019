import pytest
import torch

from kerastorch.optimizers import schedules
from tests.oracle import assert_close, keras_or_skip, to_numpy

CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9}),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [5, 12], "values": [1.0, 0.5, 0.1]}),
    ("PiecewiseConstantDecay", {"boundaries": [3], "values": [2, 1]}),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.01, "power": 0.5},
    ),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5}),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": True},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "alpha": 0.1}),
    (
        "CosineDecay",
        {"initial_learning_rate": 0.0, "decay_steps": 20, "warmup_target": 0.2, "warmup_steps": 5},
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 5}),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": 1.0, "m_mul": 0.5},
    ),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 1.5, "alpha": 0.05},
    ),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=IDS)
def test_schedules_match_keras_over_many_steps(name, kwargs):
    keras = keras_or_skip()
    reference = getattr(keras.optimizers.schedules, name)(**kwargs)
    ours = getattr(schedules, name)(**kwargs)
    steps = torch.arange(60)  # past every boundary, restart and end of decay
    expected = [to_numpy(reference(int(s))) for s in steps]
    assert_close([ours(s) for s in steps], expected, atol=1e-7, rtol=1e-6)
    assert_close([ours(int(s)) for s in steps[:5]], expected[:5], atol=1e-7, rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=IDS)
def test_schedules_config_and_serialization_equal_keras(name, kwargs):
    keras = keras_or_skip()
    reference = getattr(keras.optimizers.schedules, name)(**kwargs)
    ours = getattr(schedules, name)(**kwargs)
    assert ours.get_config() == reference.get_config()
    assert schedules.serialize(ours) == keras.optimizers.schedules.serialize(reference)
    restored = schedules.deserialize(keras.optimizers.schedules.serialize(reference))
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()


def test_schedules_run_on_the_step_device_without_host_reads():
    step = torch.tensor(7, dtype=torch.int64)
    value = schedules.CosineDecay(0.1, 10, warmup_target=1.0, warmup_steps=5)(step)
    assert isinstance(value, torch.Tensor)
    assert (value.device, value.dtype, value.shape) == (step.device, torch.float32, ())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), r"`decay_steps` must be > 0"),
        (lambda: schedules.CosineDecayRestarts(0.1, -1), r"`first_decay_steps` must be > 0"),
        (
            lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]),
            "boundaries should be 1 less than the length of values",
        ),
    ],
)
def test_schedules_reject_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_schedules_deserialize_unknown_class_suggests_the_close_match():
    with pytest.raises(ValueError, match=r"'CosineDecayy'\. Did you mean 'CosineDecay'"):
        schedules.deserialize({"class_name": "CosineDecayy", "config": {}})


def test_schedules_custom_schedule_round_trips_with_custom_objects():
    class HalfEachStep(schedules.LearningRateSchedule):
        def __init__(self, initial):
            self.initial = initial

        def __call__(self, step):
            return self.initial * 0.5 ** torch.as_tensor(step, dtype=torch.float32)

        def get_config(self):
            return {"initial": self.initial}

    config = schedules.serialize(HalfEachStep(0.8))
    assert config["registered_name"] == "HalfEachStep"
    restored = schedules.deserialize(config, custom_objects={"HalfEachStep": HalfEachStep})
    assert float(restored(2)) == pytest.approx(0.2)


def test_schedules_base_class_requires_call_and_get_config():
    with pytest.raises(NotImplementedError, match=r"must override `__call__\(self, step\)`"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        schedules.LearningRateSchedule().get_config()
