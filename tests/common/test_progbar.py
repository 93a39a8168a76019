"""`Progbar` prints what Keras's prints, character for character, under a fake clock."""

import time

import pytest

from kerastorch.common.progbar import Progbar
from tests.oracle import keras_or_skip


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def run_bar(cls, clock, target, steps, **kwargs):
    """Drive a progress bar: `steps` is a list of `(seconds_elapsed, current, values)`."""
    bar = cls(target=target, **kwargs)
    for elapsed, current, values in steps:
        clock.now += elapsed
        bar.update(current, values)
    return bar


SCENARIOS = {
    "seconds_per_step": (4, [(2.0, 1, [("loss", 0.5)]), (2.0, 2, [("loss", 0.25)]),
                             (2.0, 4, [("loss", 0.125)])]),
    "milliseconds_and_eta": (50, [(0.02, 1, [("acc", 0.5)]), (0.3, 20, [("acc", 0.6)]),
                                  (0.6, 50, [("acc", 0.7)])]),
    "microseconds": (1000, [(0.0001, 1, [("loss", 2.0)]), (0.1, 999, [("loss", 1.5)]),
                            (0.0001, 1000, [("loss", 1.0)])]),
    "eta_minutes": (100, [(1.5, 1, [("loss", 1.0)]), (1.5, 2, [("loss", 1.0)])]),
    "eta_hours": (10000, [(2.0, 1, [("loss", 1.0)]), (2.0, 2, [("loss", 1.0)])]),
    "tiny_and_negative_values": (3, [(0.1, 1, [("loss", 0.0004), ("delta", -0.0002)]),
                                     (0.1, 3, [("loss", 0.0001), ("delta", -2.5)])]),
    "unknown_target": (None, [(0.1, 1, [("loss", 1.0)]), (0.1, 2, [("loss", 3.0)])]),
    "shrinking_line_is_padded": (2, [(0.1, 1, [("loss", 123456.0)]), (0.1, 2, [("loss", 1.0)])]),
}  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("verbose", [1, 2])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_progbar_prints_exactly_what_keras_prints(name, verbose, monkeypatch, capsys):
    keras = keras_or_skip()
    target, steps = SCENARIOS[name]
    outputs = []
    for cls in (keras.utils.Progbar, Progbar):
        clock = FakeClock()
        monkeypatch.setattr(time, "time", clock)
        run_bar(cls, clock, target, steps, verbose=verbose)
        outputs.append(capsys.readouterr().out)
    assert outputs[1] == outputs[0]
    assert outputs[1] or verbose == 2


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"stateful_metrics": ["acc"]},
        {"stateless_metrics": ["loss"]},
        {"stateless_metrics": set()},  # what `ProgbarLogger` passes: nothing averaged
        {"width": 7},
    ],
)
def test_progbar_metric_averaging_matches_keras(kwargs, monkeypatch, capsys):
    keras = keras_or_skip()
    steps = [(0.1, 1, [("loss", 1.0), ("acc", 0.2)]), (0.1, 2, [("loss", 3.0), ("acc", 0.4)]),
             (0.1, 3, [("loss", 2.0), ("acc", 0.9)])]  # fmt: skip
    outputs = []
    for cls in (keras.utils.Progbar, Progbar):
        clock = FakeClock()
        monkeypatch.setattr(time, "time", clock)
        run_bar(cls, clock, 4, steps, **kwargs)
        outputs.append(capsys.readouterr().out)
    assert outputs[1] == outputs[0]


def test_progbar_averages_stateless_values_over_steps(monkeypatch, capsys):
    clock = FakeClock()
    monkeypatch.setattr(time, "time", clock)
    run_bar(Progbar, clock, 3, [(0.1, 1, [("loss", 1.0)]), (0.1, 2, [("loss", 3.0)])])
    assert capsys.readouterr().out.endswith("loss: 2.0000")


def test_progbar_formats_small_values_in_scientific_notation(monkeypatch, capsys):
    clock = FakeClock()
    monkeypatch.setattr(time, "time", clock)
    run_bar(Progbar, clock, 1, [(0.002, 1, [("loss", 0.0005)])])
    assert capsys.readouterr().out.endswith("2ms/step - loss: 5.0000e-04\n")


def test_progbar_redraws_only_after_the_interval(monkeypatch, capsys):
    clock = FakeClock()
    monkeypatch.setattr(time, "time", clock)
    bar = Progbar(target=10, interval=0.05)
    clock.now += 0.01
    assert bar.due(1)
    bar.update(1)
    clock.now += 0.01
    assert not bar.due(2)
    bar.update(2)
    assert bar.due(10)  # the final update always draws
    assert capsys.readouterr().out.count("\r") == 1


def test_progbar_verbose_zero_prints_nothing(capsys):
    bar = Progbar(target=2, verbose=0)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_progbar_refuses_both_metric_lists():
    with pytest.raises(ValueError, match="Only one of `stateful_metrics` or `stateless_metrics`"):
        Progbar(target=1, stateful_metrics=["a"], stateless_metrics=["b"])


def test_progbar_add_advances_from_the_last_step(monkeypatch, capsys):
    clock = FakeClock()
    monkeypatch.setattr(time, "time", clock)
    bar = Progbar(target=4, verbose=2)
    bar.add(2, [("loss", 1.0)])
    bar.add(2, [("loss", 3.0)])
    assert capsys.readouterr().out.startswith("4/4 - 0s")
