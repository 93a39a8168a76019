"""`Solarization`: inverts the pixels above a random threshold, in training.

Example:
    >>> import torch
    >>> x = torch.tensor([[[[0.0], [100.0], [255.0]]]])
    >>> Solarization()(x, training=True).flatten().tolist()  # threshold 0: all inverted
    [255.0, 155.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import (
    check_value_range,
    transform_value_range,
)

_FACTOR_ERROR = (
    "The `addition_factor` and `threshold_factor` arguments should be a number (or a list "
    "of two numbers) in the range [0, 1]. "
)


def _check_factor(factor: Any, name: str) -> tuple[float, float]:
    """Keras's `Solarization._set_factor`: a number `f` means `(0, f)`."""

    def check(value: float) -> None:
        if value > 1.0 or value < 0:
            raise ValueError(_FACTOR_ERROR + f"Received: input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return 0, factor
    raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")


class Solarization(BaseImagePreprocessingLayer):
    """Adds a random amount to each image, then inverts values above a random threshold.

    In `(0, 255)` units, per image: `y = clip(x + addition, 0, 255)`, then
    `y if y < threshold else 255 - y`, moved back to `value_range`. The addition and the
    threshold are drawn uniformly in `[lower, upper * 255]` of `addition_factor` and
    `threshold_factor` (as in Keras, the lower bound is *not* scaled by 255). With the
    default factors `(0, 0)` every pixel is inverted. `training=False` is an identity.

    Args:
        addition_factor: a float in `[0, 1]` (meaning `(0, f)`) or a pair in `[0, 1]`.
        threshold_factor: a float in `[0, 1]` (meaning `(0, f)`) or a pair in `[0, 1]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        seed: int, makes the draws reproducible.
        **kwargs: base layer arguments (`data_format`, ...).

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3)
        >>> bool(torch.equal(Solarization(value_range=(0, 1))(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        addition_factor: float | tuple[float, float] = 0.0,
        threshold_factor: float | tuple[float, float] = 0.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.seed = seed
        self.addition_factor = _check_factor(addition_factor, "addition_factor")
        self.threshold_factor = _check_factor(threshold_factor, "threshold_factor")
        self.value_range = check_value_range(value_range)

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: `additions` and `thresholds`, `(batch, 1, 1, 1)`."""
        shape = (batch, 1, 1, 1)
        add_low, add_high = self.addition_factor
        low, high = self.threshold_factor
        return {
            "additions": self._uniform(shape, add_low, add_high * 255, device),
            "thresholds": self._uniform(shape, low, high * 255, device),
        }

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Solarize NCHW images."""
        x = transform_value_range(x, self.value_range, (0, 255))
        x = (x + params["additions"].to(x.dtype)).clamp(0, 255)
        x = torch.where(x < params["thresholds"].to(x.dtype), x, 255 - x)
        return transform_value_range(x, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
            "seed": self.seed,
        }
