"""Learning rate schedules: `lr = schedule(step)`, Keras 3's formulas on torch tensors.

A schedule given to an optimizer is evaluated on the optimizer's iteration counter, a device
tensor, so it costs a few scalar kernels and no host synchronisation. Arithmetic follows
Keras's float32 order of operations, so values agree with Keras to float32 rounding.

Example:
    >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(schedule(20))
    0.02500000037252903
"""

from __future__ import annotations

import difflib
import math
from typing import Any

import numpy as np
import torch

from kerastorch.common import registry, serialization
from kerastorch.variables import Variable

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]

Tensor = torch.Tensor
_PI = float(np.float32(math.pi))


def _f32(x: Any) -> float:
    """`x` rounded to float32 (how Keras casts Python numbers against float32 tensors)."""
    return float(np.float32(x))


def _as_step(step: Any) -> Tensor:
    if isinstance(step, Variable):
        step = step.value
    return torch.as_tensor(step).detach()


def _float_step(step: Any) -> Tensor:
    return _as_step(step).to(torch.float32)


def _check_decay_steps(name: str, value: Any) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """Base class of learning rate schedules: implement `__call__(step)` and `get_config()`.

    Example:
        >>> class InverseStep(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1)
    """

    _keras_module = "keras.optimizers.schedules"

    def __call__(self, step: Any) -> Tensor:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """Create the schedule from `get_config()`'s output."""
        return cls(**config)


class _DecayRateSchedule(LearningRateSchedule):
    """What `ExponentialDecay` and `InverseTimeDecay` share: their arguments, their config
    and the decay progress `step / decay_steps` (floored with `staircase`)."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool,
        name: str,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_decay_steps("decay_steps", decay_steps)

    def _progress(self, step: Any) -> Tensor:
        p = _float_step(step) / _f32(self.decay_steps)
        return torch.floor(p) if self.staircase else p

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class ExponentialDecay(_DecayRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: float.
        decay_steps: positive int.
        decay_rate: float.
        staircase: if `True`, `step / decay_steps` is floored (decay in discrete jumps).
        name: name of the schedule.

    Example:
        >>> float(ExponentialDecay(1.0, 10, 0.5, staircase=True)(15))
        0.5
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step: Any) -> Tensor:
        p = self._progress(step)
        return _f32(self.initial_learning_rate) * torch.pow(_f32(self.decay_rate), p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[1]` up to `boundaries[1]`, ...

    Args:
        boundaries: strictly increasing step numbers.
        values: one more value than boundaries.
        name: name of the schedule.

    Example:
        >>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
        >>> [float(schedule(s)) for s in (10, 11, 21)]
        [1.0, 0.5, 0.10000000149011612]
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name
        self._tensors: dict[tuple, tuple[Tensor, Tensor]] = {}

    def _lookup_tables(self, step: Tensor) -> tuple[Tensor, Tensor]:
        if torch.compiler.is_compiling():  # constants of the graph (a cache would recompile it)
            return self._make_tables(step)
        key = (step.device, step.dtype)
        if key not in self._tensors:  # built once per device: no copy per step
            self._tensors[key] = self._make_tables(step)
        return self._tensors[key]

    def _make_tables(self, step: Tensor) -> tuple[Tensor, Tensor]:
        boundaries = torch.tensor(self.boundaries, device=step.device).to(step.dtype)
        floating = any(isinstance(v, float) for v in self.values)
        dtype = torch.float32 if floating else torch.int64
        return boundaries, torch.tensor(self.values, dtype=dtype, device=step.device)

    def __call__(self, step: Any) -> Tensor:
        step = _as_step(step)
        boundaries, values = self._lookup_tables(step)
        # bucketize(right=False): i such that boundaries[i-1] < step <= boundaries[i].
        return torch.take(values, torch.bucketize(step, boundaries))

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decay from `initial_learning_rate` to `end_learning_rate` as `(1 - step/decay_steps)**power`.

    Args:
        initial_learning_rate: float.
        decay_steps: positive int.
        end_learning_rate: the final value (`0.0001`).
        power: exponent of the polynomial (`1.0`, linear).
        cycle: restart the decay each multiple of `decay_steps` instead of staying at the end.
        name: name of the schedule.

    Example:
        >>> round(float(PolynomialDecay(0.1, 10, end_learning_rate=0.0)(5)), 6)
        0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_decay_steps("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Tensor:
        step = _float_step(step)
        decay_steps = _f32(self.decay_steps)
        if self.cycle:
            multiplier = torch.where(step == 0, 1.0, torch.ceil(step / self.decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = torch.clamp(step, max=decay_steps)
        p = step / decay_steps
        span = _f32(np.float32(self.initial_learning_rate) - np.float32(self.end_learning_rate))
        return span * torch.pow(1 - p, _f32(self.power)) + _f32(self.end_learning_rate)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(_DecayRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: float.
        decay_steps: how often to apply the decay.
        decay_rate: float.
        staircase: if `True`, `step / decay_steps` is floored.
        name: name of the schedule.

    Example:
        >>> float(InverseTimeDecay(1.0, 1, 0.5)(2))
        0.5
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step: Any) -> Tensor:
        denominator = 1.0 + _f32(self.decay_rate) * self._progress(step)
        # A true division, as Keras's (`python / tensor` would multiply by a reciprocal).
        return torch.full_like(denominator, _f32(self.initial_learning_rate)) / denominator


class CosineDecay(LearningRateSchedule):
    """Cosine decay over `decay_steps`, after an optional linear warmup.

    Without `warmup_target`, decays from `initial_learning_rate` to
    `alpha * initial_learning_rate`. With it, rises linearly from `initial_learning_rate`
    to `warmup_target` over `warmup_steps`, then decays from `warmup_target`.

    Args:
        initial_learning_rate: float.
        decay_steps: positive int, the length of the decay.
        alpha: the final value, as a fraction of the decay's starting value.
        name: name of the schedule.
        warmup_target: float, or `None` for no warmup.
        warmup_steps: int, the length of the warmup.

    Example:
        >>> schedule = CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=10)
        >>> [round(float(schedule(s)), 6) for s in (5, 10, 15, 20)]
        [0.5, 1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_decay_steps("decay_steps", decay_steps)

    def _decay(self, step: Tensor, decay_from_lr: float) -> Tensor:
        completed_fraction = step / _f32(self.decay_steps)
        cosine_decayed = 0.5 * (1.0 + torch.cos(_PI * completed_fraction))
        return decay_from_lr * ((1 - self.alpha) * cosine_decayed + self.alpha)

    def __call__(self, step: Any) -> Tensor:
        step = _float_step(step)
        initial = _f32(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decay(torch.clamp(step, max=_f32(self.decay_steps)), initial)
        warmup_steps = _f32(self.warmup_steps)
        step = torch.clamp(step, max=_f32(np.float32(self.decay_steps) + np.float32(warmup_steps)))
        delta = _f32(np.float32(self.warmup_target) - np.float32(initial))
        # Both branches on the device (Keras's `ops.cond` would read `step` on the host).
        warmup = delta * (step / warmup_steps) + initial
        decay = self._decay(step - warmup_steps, _f32(self.warmup_target))
        return torch.where(step < warmup_steps, warmup, decay)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is `t_mul` times longer than the
    previous one and starts from `m_mul` times its learning rate.

    Args:
        initial_learning_rate: float.
        first_decay_steps: positive int, the length of the first period.
        t_mul: factor of the period lengths (`2.0`).
        m_mul: factor of the period starting values (`1.0`).
        alpha: the minimum value, as a fraction of `initial_learning_rate`.
        name: name of the schedule.

    Example:
        >>> schedule = CosineDecayRestarts(1.0, 10, t_mul=1.0)
        >>> [round(float(schedule(s)), 6) for s in (0, 5, 10)]
        [1.0, 0.5, 1.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_decay_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step: Any) -> Tensor:
        completed_fraction = _float_step(step) / _f32(self.first_decay_steps)
        t_mul, m_mul = _f32(self._t_mul), _f32(self._m_mul)
        if t_mul == 1.0:
            i_restart = torch.floor(completed_fraction)
            completed_fraction = completed_fraction - i_restart
        else:
            one_minus_t_mul = _f32(1.0 - np.float32(t_mul))
            # log(t_mul) with torch, like the numerator: a `floor` follows, so both logs
            # must round alike for whole periods to land exactly on restarts.
            log_t_mul = torch.full_like(completed_fraction, t_mul).log()
            i_restart = torch.floor(
                torch.log(1.0 - completed_fraction * one_minus_t_mul) / log_t_mul
            )
            t_mul_power = torch.pow(t_mul, i_restart)
            sum_r = (1.0 - t_mul_power) / one_minus_t_mul
            completed_fraction = (completed_fraction - sum_r) / t_mul_power
        m_fac = torch.pow(m_mul, i_restart)
        cosine_decayed = 0.5 * m_fac * (1.0 + torch.cos(_PI * completed_fraction))
        alpha = np.float32(self.alpha)
        decayed = _f32(np.float32(1) - alpha) * cosine_decayed + float(alpha)
        return _f32(self.initial_learning_rate) * decayed

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_BUILTINS: dict[str, type[LearningRateSchedule]] = {
    cls.__name__: cls
    for cls in (
        CosineDecay,
        CosineDecayRestarts,
        ExponentialDecay,
        InverseTimeDecay,
        LearningRateSchedule,
        PiecewiseConstantDecay,
        PolynomialDecay,
    )
}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict[str, Any]:
    """The schedule as Keras's JSON-compatible dict (`module`, `class_name`, `config`, ...).

    Example:
        >>> serialize(ExponentialDecay(0.1, 100, 0.96))["class_name"]
        'ExponentialDecay'
    """
    return serialization.serialize_keras_object(learning_rate_schedule)


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Any:
    """A schedule from `serialize()`'s dict (or `{"class_name": ..., "config": ...}`).

    Example:
        >>> deserialize({"class_name": "PolynomialDecay", "config": {
        ...     "initial_learning_rate": 0.1, "decay_steps": 100}}).decay_steps
        100
    """
    if isinstance(config, LearningRateSchedule):
        return config
    obj = serialization.deserialize_keras_object(
        config, module_objects=_BUILTINS, custom_objects=custom_objects
    )
    if isinstance(obj, LearningRateSchedule):
        return obj
    name = config.get("class_name") if isinstance(config, dict) else config
    close = difflib.get_close_matches(str(name), sorted(_BUILTINS), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise ValueError(
        f"Could not interpret decay class name: '{name}'.{hint} Known schedules: "
        f"{sorted(_BUILTINS)}. Pass custom classes with `custom_objects`."
    )


registry.register_namespace("optimizers.schedules", globals(), __all__)
