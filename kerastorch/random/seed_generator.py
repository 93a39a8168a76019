"""`SeedGenerator`: the state of Keras's random ops, and how a `seed` argument becomes a
`torch.Generator` (Keras's torch-backend algorithm, so integer seeds give Keras's numbers).

An integer seed gives the same numbers on every call; a `SeedGenerator` gives new numbers on
each call, reproducibly from its initial seed; `seed=None` draws from a global
`SeedGenerator`, which `kerastorch.utils.set_random_seed` re-creates.

Example:
    >>> gen = SeedGenerator(42)
    >>> gen.state.tolist()
    [42, 0]
    >>> gen.next().tolist(), gen.state.tolist()
    ([42, 0], [42, 1])
"""

from __future__ import annotations

import functools
import random as python_random
from typing import Any

import torch
from torch import nn

from kerastorch import config
from kerastorch.common import naming

_GLOBAL_SEED_GENERATOR: list[SeedGenerator | None] = [None]


class SeedGenerator(nn.Module):
    """A stateful seed: each random op that receives it draws new numbers.

    The state is a `(2,)` int32 buffer `state` = `[seed, counter]` (Keras's non-trainable
    variable `seed_generator_state`): a layer that holds a `SeedGenerator` as an attribute
    registers it as a submodule, so the state moves with `layer.to(device)`, appears in
    `state_dict()` and is restored by `load_state_dict()`. Random ops given this generator
    draw on the state's device.

    Args:
        seed: the initial seed (an int); `None` picks one with Python's `random`.
        name: the generator's name; by default `seed_generator`, made unique.

    Example:
        >>> from kerastorch import random
        >>> gen = SeedGenerator(seed=1337)
        >>> a = random.uniform((2,), seed=gen)
        >>> b = random.uniform((2,), seed=gen)
        >>> bool((a == b).all())
        False
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any):
        super().__init__()
        kwargs.pop("backend", None)  # Keras's backend override: torch is the only one
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments: {kwargs}")
        self.name = name or naming.uniquify("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        seed = (seed & 0xFFFFFFFF ^ 0x80000000) - 0x80000000  # the bits of a uint32, as int32
        state = torch.tensor([seed, 0], dtype=torch.int32, device=config.default_device())
        self.register_buffer("state", state)

    def next(self, ordered: bool = True) -> torch.Tensor:
        """The current `[seed, counter]`, then advance the state (Keras's `next`).

        `ordered=False` (the global generator's way) jumps the whole state to a near-unique
        value in `[0, 933199)` instead of incrementing the counter.
        """
        value = self.state.clone()
        with torch.no_grad():
            if ordered:
                self.state[1] += 1
            else:
                self.state.copy_((self.state + 1) * 5387 % 933199)
        return value

    def get_config(self) -> dict[str, Any]:
        """`{"seed": initial seed (None if random), "name": name}`."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SeedGenerator:
        """Create a generator from `get_config()`'s output."""
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name}, seed={self._initial_seed}"


def make_default_seed() -> int:
    """A seed from Python's `random` (so `set_random_seed` makes it reproducible)."""
    return python_random.randint(1, int(1e9))


def global_seed_generator() -> SeedGenerator:
    """The generator behind `seed=None`, created on first use."""
    if _GLOBAL_SEED_GENERATOR[0] is None:
        _GLOBAL_SEED_GENERATOR[0] = SeedGenerator()
    return _GLOBAL_SEED_GENERATOR[0]


def reset_global_seed_generator() -> None:
    """Forget the global generator; the next unseeded draw re-creates it from Python's
    `random` (called by `set_random_seed`)."""
    _GLOBAL_SEED_GENERATOR[0] = None


def check_seed(seed: Any) -> None:
    """Raise Keras's error unless `seed` is `None`, an int or a `SeedGenerator`."""
    if seed is not None and not isinstance(seed, (int, SeedGenerator)):
        raise ValueError(
            "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
            f"Received: seed={seed} (of type {type(seed)})"
        )


def draw_seed(seed: int | SeedGenerator | None) -> int:
    """The uint32 that seeds a `torch.Generator` for one draw (advancing a generator)."""
    check_seed(seed)
    if isinstance(seed, int):
        return seed & 0xFFFFFFFF
    state = seed.next() if isinstance(seed, SeedGenerator) else global_seed_generator().next(False)
    first, second = state.tolist()
    return (first + second) & 0xFFFFFFFF


def draw_device(seed: int | SeedGenerator | None) -> torch.device:
    """Where a draw without input tensors happens: the generator's state's device, else
    `config.default_device()`."""
    if isinstance(seed, SeedGenerator):
        return seed.state.device
    return config.default_device()


def _outside_compiled_graphs(fn: Any) -> Any:
    """`torch.compiler.disable(fn)`, made at the first call: applying it at import would import
    `torch._dynamo` (seconds) with kerastorch."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _DISABLED.get(fn) is None:
            _DISABLED[fn] = torch.compiler.disable(fn)
        return _DISABLED[fn](*args, **kwargs)

    return call


_DISABLED: dict[Any, Any] = {}


@_outside_compiled_graphs
def torch_generator(seed: int | SeedGenerator | None, device: torch.device) -> Any:
    """A `torch.Generator` on `device` seeded from `seed`; `None` on the meta device
    (symbolic tracing), where no seed is drawn and no state advances."""
    if device.type == "meta":
        check_seed(seed)
        return None
    return torch.Generator(device=device).manual_seed(draw_seed(seed))
