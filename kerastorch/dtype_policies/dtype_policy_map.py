"""`DTypePolicyMap`: a dtype policy per layer path (regular expressions), with a default.

Example:
    >>> policies = DTypePolicyMap("float32")
    >>> policies["decoder/dense.*"] = "int8_from_float32"
    >>> policies["decoder/dense_1"].name, policies["encoder/dense"].name
    ('int8_from_float32', 'float32')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from kerastorch.common import serialization
from kerastorch.mixed_precision import DTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Map layer paths (full-match regular expressions) to dtype policies.

    Args:
        default_policy: the policy of paths that no key matches (default: the global one).
        policy_map: initial `{path pattern: policy}`.
    """

    _keras_module = "keras.dtype_policies"
    # Set by `kerastorch.dtype_policies` to its `get` and `serialize` (the package's
    # `__init__`, which imports this module).
    _get: Callable[[Any], DTypePolicy] = staticmethod(DTypePolicy)
    _serialize: Callable[[Any], Any] = staticmethod(serialization.serialize_keras_object)

    def __init__(self, default_policy: Any = None, policy_map: dict[str, Any] | None = None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "If specified, `policy_map` must be a dict. "
                f"Received: policy_map={policy_map} of type {type(policy_map)}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = DTypePolicyMap._get(default_policy)
        self._policy_map: dict[str, Any] = dict(policy_map or {})

    @property  # type: ignore[override]
    def name(self) -> str:
        return f"map_{self._default_policy.name}"

    @property
    def default_policy(self) -> DTypePolicy:
        return self._default_policy

    @property
    def variable_dtype(self) -> str:
        return self._default_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._default_policy.compute_dtype

    @property
    def quantization_mode(self) -> str | None:
        return getattr(self._default_policy, "quantization_mode", None)

    def __getitem__(self, key: str) -> DTypePolicy:
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matching}. "
                "Please make sure each path only matches at most one dtype policy "
                "specification key in the DTypePolicyMap."
            )
        return self._policy_map[matching[0]] if matching else self._default_policy

    def __setitem__(self, key: str, policy: Any) -> None:
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = DTypePolicyMap._get(policy)
        except Exception as error:
            raise ValueError(
                "Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                f"Received: {policy} of type {type(policy)}"
            ) from error
        self._policy_map[key] = policy

    def __delitem__(self, key: str) -> None:
        self._policy_map.pop(key)

    def __contains__(self, key: object) -> bool:
        return key in self._policy_map

    def __len__(self) -> int:
        return len(self._policy_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._policy_map)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DTypePolicyMap)
            and self._default_policy == other._default_policy
            and self._policy_map == other._policy_map
        )

    def __hash__(self) -> int:
        return id(self)

    def get_config(self) -> dict[str, Any]:
        return {
            "default_policy": self._default_policy_arg,
            "policy_map": {k: DTypePolicyMap._serialize(v) for k, v in self._policy_map.items()},
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> DTypePolicyMap:
        policy_map = {
            key: DTypePolicyMap._get(value)
            for key, value in (config.get("policy_map") or {}).items()
        }
        return cls(config.get("default_policy"), policy_map)

    def __repr__(self) -> str:
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={self._default_policy.name}, mapping={mapping}>"


__all__ = ["DTypePolicyMap"]
