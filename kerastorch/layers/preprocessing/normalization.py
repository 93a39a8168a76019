"""`Normalization`: `(inputs - mean) / sqrt(variance)`, with `adapt()` to learn the statistics.

Example:
    >>> import numpy as np
    >>> layer = Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32"))
    >>> [round(v, 4) for v in layer(np.array([1.0, 2.0, 3.0], dtype="float32")).tolist()]
    [-1.4142, -0.7071, 0.0]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance, per index of `axis`.

    `mean` and `variance` are given to the constructor or learned with `adapt(data)`.

    Args:
        axis: int, tuple of ints or None: the axes that keep a separate mean and variance
            per index (default `-1`, the features); `None` for one scalar mean and variance.
        mean: value(s) of the mean, broadcast to the kept axes (with `variance`).
        variance: value(s) of the variance, broadcast to the kept axes (with `mean`).
        invert: apply the inverse transformation, `mean + inputs * sqrt(variance)`.
        **kwargs: base layer arguments.

    Weights:
        When adapted (no `mean`/`variance` given): `[mean, variance, count]`, non-trainable,
        as in Keras (`count` is an int32 scalar kept for compatibility, always 0).
        With `mean`/`variance` given: no weights.

    Example:
        >>> import numpy as np
        >>> layer = Normalization(mean=3.0, variance=2.0)
        >>> [round(v, 4) for v in layer(np.array([[1.0], [3.0]], dtype="float32"))[:, 0].tolist()]
        [-1.4142, 0.0]
    """

    def __init__(
        self,
        axis: int | tuple[int, ...] | list[int] | None = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape: tuple[int | None, ...] | None = None
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                    f"{np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                    f"{self.axis}"
                )

    def build(self, input_shape: tuple[int | None, ...] | None) -> None:
        if input_shape is None:
            return
        ndim = len(input_shape)
        self._build_input_shape = tuple(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                f"ndim={ndim}, while axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(a if a >= 0 else a + ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. Received "
                    f"axis={self.axis}, inputs.shape={tuple(input_shape)}, with unknown axis "
                    f"at index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            shape = self._mean_and_var_shape
            self.adapt_mean = self.add_weight(
                shape=shape, initializer="zeros", trainable=False, name="mean"
            )
            self.adapt_variance = self.add_weight(
                shape=shape, initializer="ones", trainable=False, name="variance"
            )
            self.count = self.add_weight(
                shape=(), dtype="int32", initializer="zeros", trainable=False, name="count"
            )
            return
        mean = torch.as_tensor(np.asarray(self.input_mean, dtype="float64"))
        variance = torch.as_tensor(np.asarray(self.input_variance, dtype="float64"))
        if mean.ndim > 0:
            # Align the given dims with the kept axes, right to left.
            expanded = [1] * ndim
            for i in range(1, mean.ndim + 1):
                expanded[self._keep_axis[-i]] = mean.shape[-i]
            mean, variance = mean.reshape(expanded), variance.reshape(expanded)
        dtype = to_torch_dtype(self.compute_dtype)
        self.register_buffer(
            "_mean_const", mean.broadcast_to(self._broadcast_shape).to(dtype), persistent=False
        )
        self.register_buffer(
            "_variance_const",
            variance.broadcast_to(self._broadcast_shape).to(dtype),
            persistent=False,
        )

    def adapt(self, data: Any) -> None:
        """Compute the mean and variance of `data` (as Keras's `Normalization.adapt`).

        Args:
            data: a NumPy array, a torch tensor, or an iterable of batches (arrays or
                tensors, or `(x, y)` tuples whose `x` is used). Statistics are reduced
                over every axis but `axis`; batches are merged exactly (pooled variance).
        """
        if isinstance(data, (np.ndarray, torch.Tensor)):
            input_shape = tuple(data.shape)
        elif isinstance(data, Iterable):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError(
                    "adapt() received an empty iterable (no batches). Expected at least one "
                    "batch. Pass a non-empty iterable of arrays or tensors, e.g. "
                    "layer.adapt([x]) or layer.adapt(list_of_batches)."
                )
            first = _extract_batch(first)
            if not hasattr(first, "shape"):
                raise TypeError(
                    "adapt() expects an iterable that yields arrays or tensors with a "
                    f"`.shape` attribute. Got an element of type {type(first).__name__}."
                )
            input_shape = tuple(first.shape)
            data = itertools.chain([first], iterator)
        else:
            raise TypeError(
                f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, torch "
                "tensors and iterables of batches (e.g. list, generator, DataLoader)."
            )
        if not self.built:
            self.build(input_shape)
        else:
            for d in self._keep_axis:
                if input_shape[d] != self._build_input_shape[d]:
                    raise ValueError(
                        f"The layer was built with input_shape={self._build_input_shape}, but "
                        "adapt() is being called with data with an incompatible shape, "
                        f"data.shape={input_shape}"
                    )
        if self.input_mean is not None:
            raise ValueError(
                f"Layer '{self.name}' (Normalization) was given `mean` and `variance`; it "
                "cannot be adapted."
            )
        if isinstance(data, np.ndarray):
            total_mean = np.mean(data, axis=self._reduce_axis)
            total_var = np.var(data, axis=self._reduce_axis)
        elif isinstance(data, torch.Tensor):
            x = data.detach().to(to_torch_dtype(self.compute_dtype))
            total_mean = x.mean(dim=self._reduce_axis)
            total_var = x.var(dim=self._reduce_axis, correction=0)
        else:
            total_mean, total_var = self._adapt_batches(data)
        self.adapt_mean.assign(torch.as_tensor(total_mean))
        self.adapt_variance.assign(torch.as_tensor(total_var))

    def _adapt_batches(self, data: Iterable) -> tuple[torch.Tensor, ...]:
        dtype = to_torch_dtype(self.compute_dtype)
        total_mean = torch.zeros(self._mean_and_var_shape, dtype=dtype)
        total_var = torch.zeros(self._mean_and_var_shape, dtype=dtype)
        total_count = 0
        for batch in data:
            batch = _extract_batch(batch)
            if not isinstance(batch, torch.Tensor):
                batch = torch.as_tensor(np.asarray(batch))
            batch = batch.detach().cpu().to(dtype)
            for d in self._keep_axis:
                if batch.shape[d] != self._build_input_shape[d]:
                    raise ValueError(
                        "adapt() yielded a batch with incompatible shape. Expected "
                        f"{self._build_input_shape}, got {tuple(batch.shape)}."
                    )
            batch_mean = batch.mean(dim=self._reduce_axis)
            batch_var = batch.var(dim=self._reduce_axis, correction=0)
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total_count += count
            batch_weight = float(count) / total_count
            existing_weight = 1.0 - batch_weight
            new_mean = total_mean * existing_weight + batch_mean * batch_weight
            total_var = (total_var + (total_mean - new_mean) ** 2) * existing_weight + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * batch_weight
            total_mean = new_mean
        return total_mean, total_var

    def finalize_state(self) -> None:
        """Keras's hook after adapt/loading; a no-op here, since `call` reads the weights."""

    @property
    def mean(self) -> torch.Tensor:
        """The mean, broadcast to the input rank (Keras's `layer.mean`)."""
        return self._statistics()[0]

    @property
    def variance(self) -> torch.Tensor:
        """The variance, broadcast to the input rank (Keras's `layer.variance`)."""
        return self._statistics()[1]

    def _statistics(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self.input_mean is not None:
            return self._mean_const, self._variance_const
        dtype = to_torch_dtype(self.compute_dtype)
        mean = self.adapt_mean.value.reshape(self._broadcast_shape).to(dtype)
        variance = self.adapt_variance.value.reshape(self._broadcast_shape).to(dtype)
        return mean, variance

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = inputs.to(to_torch_dtype(self.compute_dtype))
        mean, variance = self._statistics()
        std = torch.clamp(torch.sqrt(variance), min=config.epsilon())
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }

    def get_build_config(self) -> dict[str, Any] | None:
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None


def _extract_batch(batch: Any) -> Any:
    """`x` from an `(x, y)` / `(x, y, w)` tuple; the batch itself otherwise."""
    if isinstance(batch, tuple):
        return batch[0]
    return batch
