"""`Discretization`: buckets continuous values by boundaries (given, or learned by `adapt`).

Example:
    >>> import torch
    >>> layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(torch.tensor([[-1.5, 1.0, 3.4, 0.5]])).tolist()
    [[0, 2, 3, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.encoding_utils import encode_categorical

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """Maps each value to the index of its bucket: `i` such that `b[i-1] <= x < b[i]`.

    Args:
        bin_boundaries: sorted list of boundaries; `n` boundaries make `n + 1` buckets.
        num_bins: number of buckets to learn with `adapt()` (instead of `bin_boundaries`).
        epsilon: error tolerance of the approximate quantiles of `adapt()` (default 0.01).
        output_mode: `"int"` (default; int32 indices), `"one_hot"`, `"multi_hot"` or
            `"count"` (float vectors of size `len(bin_boundaries) + 1`).
        sparse: return a torch sparse tensor (not with `"int"`).
        dtype: the dtype of the non-int outputs.
        name: the layer's name.

    Example:
        >>> import numpy as np
        >>> layer = Discretization(num_bins=4, epsilon=0.01)
        >>> layer.adapt(np.arange(100, dtype="float32"))
        >>> [round(b, 3) for b in layer.bin_boundaries]  # approximate quantiles, as Keras
        [24.0, 49.0, 74.0]
    """

    def __init__(
        self,
        bin_boundaries: list[float] | None = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                f"output_mode={output_mode}"
            )
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {_OUTPUT_MODES}. "
                f"Received: output_mode={output_mode}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learn `num_bins` quantile boundaries from `data` (array, tensor, or batches).

        Args:
            data: a NumPy array, a torch tensor, or an iterable of batches.
            steps: the number of batches to read from an iterable (default: all).
        """
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, Iterable) and not isinstance(data, (np.ndarray, torch.Tensor)):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        data = np.array(data).astype("float32")
        self.summary = _merge_summaries(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self) -> None:
        if self.num_bins is None:
            return
        self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or "
                "call `adapt(dataset)` before you can start using the `Discretization` layer."
            )
        inputs = torch.as_tensor(inputs)
        if inputs.dtype == torch.bool:
            inputs = inputs.to(torch.uint8)
        if not inputs.is_floating_point():
            inputs = inputs.to(to_torch_dtype(config.floatx()))
        boundaries = torch.tensor(self.bin_boundaries, dtype=inputs.dtype, device=inputs.device)
        indices = torch.bucketize(inputs, boundaries, right=True).to(torch.int32)
        return encode_categorical(
            indices,
            self.output_mode,
            len(self.bin_boundaries) + 1,
            to_torch_dtype(self.output_dtype),
            sparse=self.sparse,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Discretization:
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        config.pop("trainable", None)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            # After adapt() both are set; __init__ refuses both, so restore the boundaries.
            bin_boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = bin_boundaries
            return layer
        return cls(**config)


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Reduce values to a `(2, n)` summary: sampled sorted values and their weights."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(np.size(values) / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1) :: int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def _merge_summaries(prev: np.ndarray, nxt: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((prev, nxt), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress_summary(merged, epsilon)


def _compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Re-bin a summary to `1 / epsilon` bins by interpolating its cumulative weights."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
