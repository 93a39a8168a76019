import numpy as np
import torch

import kerastorch as kt
from kerastorch.trainers.step_plan import StepPlan, autocast_dtype


def _model():
    model = kt.Sequential([kt.Input((3,)), kt.layers.Dense(2), kt.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_plan_is_made_once_and_kept_while_nothing_changes():
    model = _model()
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, epochs=1, verbose=0)
    plan = model._step_plan
    assert plan.output_names == ["dense_1"]
    assert plan.autocast_dtype is None
    model.fit(x, y, epochs=1, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert model._step_plan is plan  # a compiled step guards on this object


def test_plan_follows_the_mixed_precision_policy():
    model = _model()
    x = np.ones((4, 3), "float32")
    model.predict_on_batch(x)
    assert model._step_plan.autocast_dtype is None
    kt.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        assert autocast_dtype() == torch.bfloat16
        model.predict_on_batch(x)
        assert model._step_plan.autocast_dtype == torch.bfloat16
    finally:
        kt.mixed_precision.set_global_policy(None)
    plan = StepPlan(model, torch.device("cpu"))
    assert plan.key() == (["dense_1"], None, torch.device("cpu"))


def test_training_mode_reaches_every_module_and_custom_train():
    class Custom(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.modes = []

        def train(self, mode=True):
            self.modes.append(mode)
            return super().train(mode)

        def forward(self, x):
            return x

    model = _model()
    model.custom = Custom()
    model.train()
    model.predict_on_batch(np.ones((2, 3), "float32"))
    assert not any(m.training for m in model.modules())
    assert model.custom.modes[-1] is False
    model.train_on_batch(np.ones((2, 3), "float32"), np.ones((2, 1), "float32"))
    assert model.custom.modes[-2:] == [True, False]
