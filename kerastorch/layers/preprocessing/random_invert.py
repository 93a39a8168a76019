"""`RandomInvert`: inverts a random subset of the images (`high - x`), in training.

Example:
    >>> import torch
    >>> layer = RandomInvert(factor=(1.0, 1.0), value_range=(0, 1))
    >>> layer(torch.zeros(1, 2, 2, 1), training=True).flatten().tolist()
    [1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomInvert(BaseImagePreprocessingLayer):
    """Replaces some images `x` by `value_range[1] - x` (training only).

    Per image, a probability `p` is drawn in `factor` and the image is inverted with
    probability `p`. As in Keras, a single number `f` means `p` uniform in `(0, f)` (so the
    default `factor=1.0` inverts about half of the images); `factor=(1.0, 1.0)` inverts
    every image.

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)` in `[0, 1]` (default 1.0).
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        seed: int, makes the choices reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3)
        >>> bool(torch.equal(RandomInvert()(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: `apply_inversion`, one boolean per image."""
        probability = self._uniform((batch,), *self.factor, device)
        threshold = self._uniform((batch,), 0.0, 1.0, device)
        return {"apply_inversion": threshold < probability}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Invert the chosen NCHW images."""
        apply = params["apply_inversion"].view(-1, 1, 1, 1)
        return torch.where(apply, self.value_range[1] - x, x)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
