"""Probabilistic losses: binary, categorical and sparse categorical crossentropy, KL, Poisson.

Crossentropies on probabilities that a softmax/sigmoid produced are computed from the
attached logits (see `ops.logits.attach_logits`), as Keras does on TensorFlow; otherwise
the probabilities are clipped to `[epsilon, 1 - epsilon]`, as in Keras 3. The helpers
shared with `focal_losses` (label smoothing, clipped BCE, ...) live here.

Example:
    >>> import torch
    >>> loss = CategoricalCrossentropy()
    >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))), 4)
    0.6931
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.losses.loss import as_tensor_pair, convert_to_tensor
from kerastorch.losses.loss_function_wrapper import INTEGER_LABELS, BuiltinLoss
from kerastorch.ops.logits import logits_of

Tensor = torch.Tensor


# --- helpers (the public ones are shared with focal_losses) ------------------------------


def check_same_shape(fn: str, y_true: Tensor, y_pred: Tensor) -> None:
    """Raise a `ValueError` naming `fn` and both shapes when they differ."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{fn}: `y_true` and `y_pred` must have the same shape. Received: "
            f"y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}"
        )


def _check_axis(fn: str, axis: Any) -> None:
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"{fn}: `axis` must be of type `int`. Received: axis={axis!r} of type {type(axis)}"
        )


def _warn_single_class(fn: str, y_pred: Tensor) -> None:
    """Warn (at the caller of the public loss function) when `y_pred` has one class."""
    if y_pred.dim() and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {fn}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=4,  # loss function <- categorical_inputs <- here
        )


def _clip_probs(p: Tensor) -> Tensor:
    eps = config.epsilon()
    return p.clamp(eps, 1.0 - eps)


def normalized_probs(p: Tensor, axis: int) -> Tensor:
    """`p` rescaled to sum to 1 over `axis`, then clipped (Keras's crossentropy on probs)."""
    return _clip_probs(p / p.sum(dim=axis, keepdim=True))


def smooth_labels(y_true: Tensor, label_smoothing: float, num_classes: int | None) -> Tensor:
    """`y * (1 - ls) + ls / num_classes`; `num_classes` None: the size of the last axis.

    Binary losses pass `num_classes=2` (labels move towards 0.5).
    """
    if not label_smoothing:
        return y_true
    if num_classes is None:
        num_classes = y_true.shape[-1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def categorical_inputs(
    fn: str, y_true: Any, y_pred: Any, axis: Any, label_smoothing: float
) -> tuple[Tensor, Tensor]:
    """The checks and label smoothing that open both categorical crossentropies."""
    _check_axis(fn, axis)
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    _warn_single_class(fn, y_pred)
    return smooth_labels(y_true, label_smoothing, None), y_pred


def bce_on_probs(target: Tensor, probs: Tensor) -> Tensor:
    """Keras's `ops.binary_crossentropy(from_logits=False)`: clip at epsilon, then BCE."""
    if _autocast_enabled(probs.device.type):  # F.binary_cross_entropy refuses autocast
        with torch.autocast(probs.device.type, enabled=False):
            out = F.binary_cross_entropy(_clip_probs(probs.float()), target.float(), None, None)
        return out.to(probs.dtype)
    return F.binary_cross_entropy(_clip_probs(probs), target, reduction="none")


def _autocast_enabled(device_type: str) -> bool:
    try:
        return torch.is_autocast_enabled(device_type)
    except RuntimeError:  # a device type without autocast (meta)
        return False


def _class_axis_to_1(x: Tensor, axis: int) -> Tensor:
    """Move the class axis to dim 1, where torch's crossentropy kernels expect it (a view)."""
    class_axis = axis % x.dim()
    return x if class_axis == 1 else x.movedim(class_axis, 1)


# --- functions ----------------------------------------------------------------------------


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    y_true = y_true.clamp(config.epsilon(), 1.0)
    y_pred = y_pred.clamp(config.epsilon(), 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    return (y_pred - y_true * torch.log(y_pred + config.epsilon())).mean(dim=-1)


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Binary crossentropy, averaged over `axis`.

    With `from_logits=False`, probabilities are clipped to `[1e-7, 1 - 1e-7]`, unless
    `y_pred` is a sigmoid output with its logits attached (`ops.logits.attach_logits`): then the
    loss is computed from those logits, which never saturates. `label_smoothing` moves the
    labels towards 0.5: `y * (1 - ls) + 0.5 * ls`.
    """
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    y_true = smooth_labels(y_true, label_smoothing, 2)
    check_same_shape("binary_crossentropy", y_true, y_pred)
    logits = y_pred if from_logits else logits_of(y_pred, "sigmoid")
    if logits is not None:
        bce = F.binary_cross_entropy_with_logits(logits, y_true, reduction="none")
    else:
        bce = bce_on_probs(y_true, y_pred)
    return bce.mean(dim=axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Crossentropy between one-hot (or soft) labels and predictions, over `axis`.

    With `from_logits=False`, `y_pred` is renormalised to sum to 1 and clipped to
    `[1e-7, 1 - 1e-7]`, unless it is a softmax output over `axis` with its logits attached
    (`ops.logits.attach_logits`): then `log_softmax(logits)` is used, which never saturates.
    `label_smoothing` mixes the labels with the uniform distribution.
    """
    y_true, y_pred = categorical_inputs(
        "categorical_crossentropy", y_true, y_pred, axis, label_smoothing
    )
    check_same_shape("categorical_crossentropy", y_true, y_pred)
    if y_pred.dim() < 1:
        raise ValueError(
            "categorical_crossentropy: `y_true` and `y_pred` must be at least rank 1. "
            f"Received: y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}"
        )
    logits = y_pred if from_logits else logits_of(y_pred, "softmax", axis)
    if logits is not None:
        if logits.dim() == 1:
            return F.cross_entropy(logits, y_true, reduction="none")
        return F.cross_entropy(
            _class_axis_to_1(logits, axis), _class_axis_to_1(y_true, axis), reduction="none"
        )
    return -torch.sum(y_true * torch.log(normalized_probs(y_pred, axis)), dim=axis)


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Tensor:
    """Crossentropy between integer labels and predictions over `axis` (the class axis).

    `y_true` holds class indices, shaped like `y_pred` without `axis` (or with it of size 1).
    Labels equal to `ignore_class` get loss 0 and are masked out of the reduction (the
    result carries `_keras_mask`). Probabilities are clipped as in `categorical_crossentropy`,
    and attached softmax logits are used the same way.
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_pred.dim() < 1:
        raise ValueError(
            "sparse_categorical_crossentropy: `y_pred` must be at least rank 1. "
            f"Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    class_axis = axis % y_pred.dim()
    expected = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    if tuple(y_true.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy: `y_true` must hold one class index per "
            f"prediction, with shape {expected} (y_pred.shape without the class axis "
            f"{axis}). Received: y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}. For one-hot labels, use "
            "categorical_crossentropy."
        )
    target = y_true.long()
    ignore_index = -100  # torch's default, as in Keras's torch backend
    valid_mask = None
    if ignore_class is not None:
        valid_mask = target != int(ignore_class)
        ignore_index = int(ignore_class)  # the kernels give ignored entries a loss of 0
    logits = y_pred if from_logits else logits_of(y_pred, "softmax", axis)
    scores = logits if logits is not None else y_pred
    if scores.dim() == 1:
        scores, target = scores.unsqueeze(0), target.unsqueeze(0)
    else:
        scores = _class_axis_to_1(scores, axis)
    if logits is not None:
        res = F.cross_entropy(scores, target, reduction="none", ignore_index=ignore_index)
    else:
        log_probs = torch.log(normalized_probs(scores, 1))
        res = F.nll_loss(log_probs, target, reduction="none", ignore_index=ignore_index)
    res = res.reshape(expected)
    if valid_mask is not None:
        res._keras_mask = valid_mask
    return res


# --- classes ------------------------------------------------------------------------------


INTEGER_LABELS.add(sparse_categorical_crossentropy)


class KLDivergence(BuiltinLoss):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`, inputs clipped.

    Example:
        >>> import torch
        >>> y_true, y_pred = torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]])
        >>> round(float(KLDivergence()(y_true, y_pred)), 4)
        0.1438
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(BuiltinLoss):
    """`mean(y_pred - y_true * log(y_pred + epsilon))`.

    Example:
        >>> import torch
        >>> float(Poisson()(torch.tensor([[0.0]]), torch.tensor([[2.0]])))
        2.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(BuiltinLoss):
    """Crossentropy for 0/1 labels (one or several independent labels per sample).

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`; labels become `y * (1 - ls) + 0.5 * ls`.
        axis: The axis to average over. Defaults to `-1`.

    Probabilities are clipped to `[1e-7, 1 - 1e-7]`, but when `y_pred` comes straight from a
    sigmoid that attached its logits (`ops.logits.attach_logits`), the loss is computed from the
    logits: same numbers in the normal range, no saturation (as Keras on TensorFlow).

    Example:
        >>> import torch
        >>> loss = BinaryCrossentropy(from_logits=True)
        >>> round(float(loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 0.0]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(BuiltinLoss):
    """Crossentropy for one-hot (or soft) labels over `num_classes` along `axis`.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`; labels become `y * (1 - ls) + ls / num_classes`.
        axis: The class axis. Defaults to `-1`.

    Probabilities are renormalised and clipped to `[1e-7, 1 - 1e-7]`, but when `y_pred`
    comes straight from a softmax over `axis` that attached its logits
    (`ops.logits.attach_logits`), `log_softmax(logits)` is used instead: same numbers in the
    normal range, no saturation (as Keras on TensorFlow).

    Example:
        >>> import torch
        >>> loss = CategoricalCrossentropy()
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(BuiltinLoss):
    """Crossentropy for integer class labels (`y_true` holds indices, not one-hot rows).

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: A label value to ignore (e.g. a padding class): its entries get
            loss 0 and do not count in the `"sum_over_batch_size"` denominator.
        axis: The class axis of `y_pred`. Defaults to `-1`.

    Integer labels stay integers (Keras casts them to float and back: same numbers). Softmax
    outputs with attached logits are handled as in `CategoricalCrossentropy`.
    `get_config()` includes `axis` (Keras 3.15 leaves it out and loses it on reload).

    Example:
        >>> import torch
        >>> loss = SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
        >>> round(float(loss(torch.tensor([1, -1]), torch.tensor([[0.0, 0.0], [5.0, 1.0]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
