"""Dtype policies: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`.

A mixed policy keeps float32 weights and computes in the lower precision: the training loop
runs the step under `torch.autocast` (plus a `GradScaler` for float16).

Example:
    >>> from kerastorch import mixed_precision
    >>> mixed_precision.set_global_policy("mixed_bfloat16")
    >>> mixed_precision.global_policy().compute_dtype
    'bfloat16'
    >>> mixed_precision.set_global_policy("float32")
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype


class DTypePolicy:
    """A dtype policy: `variable_dtype` (weights) and `compute_dtype` (computations)."""

    _keras_module = "keras"  # serialized as Keras's `keras.DTypePolicy`
    quantization_mode: str | None = None  # quantized policies (`dtype_policies`) set it

    def __init__(self, name: str | None = None):
        name = name or config.floatx()
        if not isinstance(name, str):
            raise TypeError(
                "'name' must be a string, such as 'mixed_float16'. "
                f"Received: name={name} (of type {type(name)})"
            )
        if name in ("mixed_float16", "mixed_bfloat16"):
            compute, variable = name.removeprefix("mixed_"), "float32"
        else:
            try:
                compute = variable = standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                    "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                    "such as 'float32'."
                ) from None
        self.name = name
        self._compute_dtype, self._variable_dtype = compute, variable

    @property
    def variable_dtype(self) -> str:
        return self._variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._compute_dtype

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DTypePolicy:
        """The policy `get_config` describes."""
        return cls(**config)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self.name}">'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


Policy = DTypePolicy
_GLOBAL_POLICY: DTypePolicy | None = None


def set_global_policy(policy: str | DTypePolicy | None) -> None:
    """Set the policy of layers created from now on (`None` restores floatx)."""
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None if policy is None else DTypePolicy(getattr(policy, "name", policy))


def global_policy() -> DTypePolicy:
    """The policy new layers get: the one set, else floatx's (made once per floatx value, as
    Keras keeps its default policy, so that the steps can read it at no cost).

    Example:
        >>> global_policy() is global_policy()
        True
    """
    if _GLOBAL_POLICY is not None:
        return _GLOBAL_POLICY
    floatx = config.floatx()
    policy = _DEFAULT_POLICIES.get(floatx)
    if policy is None or policy.name != floatx:
        policy = _DEFAULT_POLICIES[floatx] = DTypePolicy(floatx)
    return policy


_DEFAULT_POLICIES: dict[str, DTypePolicy] = {}  # floatx -> its policy (no global policy set)


# Keras 3's names for the same two functions (`keras.config` exposes them too).
dtype_policy = global_policy
set_dtype_policy = set_global_policy


def global_policy_name() -> str:
    return global_policy().name


def policy_name(dtype: Any) -> str:
    """A layer's `dtype` argument (a dtype, a policy, its name or config) -> the policy name."""
    if dtype is None:
        return global_policy_name()
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name")
    if hasattr(dtype, "name") and not isinstance(dtype, (str, torch.dtype)):
        dtype = dtype.name
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return dtype
    return standardize_dtype(dtype)


__all__ = [
    "DTypePolicy",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
