"""Keras 3's losses: the functions (per-sample losses) and the `Loss` classes that wrap them.

Every function takes `(y_true, y_pred)` and returns per-sample losses (the last axis, or the
class axis, reduced). Every class is a `LossFunctionWrapper` around one function, adding the
reduction, sample weights and masks of `Loss`. Numbers equal Keras 3's (torch backend), with
one improvement: crossentropies on probabilities that a softmax/sigmoid produced are computed
from the attached logits (see `loss.attach_logits`), as Keras does on TensorFlow.

Example:
    >>> import torch
    >>> y_true, y_pred = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])
    >>> float(MeanSquaredError()(y_true, y_pred)), float(mean_squared_error(y_true, y_pred)[0])
    (0.25, 0.25)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common import tree
from kerastorch.losses.loss import (
    Loss,
    convert_to_tensor,
    logits_of,
    squeeze_or_expand_to_same_rank,
)

Tensor = torch.Tensor
AxisLike = int | tuple[int, ...] | list[int] | None


# --- helpers ----------------------------------------------------------------------------


def _pred_true(y_true: Any, y_pred: Any, squeeze: bool = False) -> tuple[Tensor, Tensor]:
    """`y_pred` as a tensor, `y_true` cast to its dtype and device (Keras's first lines)."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def _check_same_shape(fn: str, y_true: Tensor, y_pred: Tensor) -> None:
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
            stacklevel=4,  # loss function <- _categorical_inputs <- here
        )


def _sum(x: Tensor, axis: AxisLike) -> Tensor:
    return x.sum() if axis is None else x.sum(dim=axis)


def _clip_probs(p: Tensor) -> Tensor:
    eps = config.epsilon()
    return p.clamp(eps, 1.0 - eps)


def _normalized_probs(p: Tensor, axis: int) -> Tensor:
    """`p` rescaled to sum to 1 over `axis`, then clipped (Keras's crossentropy on probs)."""
    return _clip_probs(p / p.sum(dim=axis, keepdim=True))


def _smooth_labels(y_true: Tensor, label_smoothing: float, num_classes: int | None) -> Tensor:
    """`y * (1 - ls) + ls / num_classes`; `num_classes` None: the size of the last axis.

    Binary losses pass `num_classes=2` (labels move towards 0.5).
    """
    if not label_smoothing:
        return y_true
    if num_classes is None:
        num_classes = y_true.shape[-1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def _categorical_inputs(
    fn: str, y_true: Any, y_pred: Any, axis: Any, label_smoothing: float
) -> tuple[Tensor, Tensor]:
    """The checks and label smoothing that open both categorical crossentropies."""
    _check_axis(fn, axis)
    y_true, y_pred = _pred_true(y_true, y_pred)
    _warn_single_class(fn, y_pred)
    return _smooth_labels(y_true, label_smoothing, None), y_pred


def _bce_on_probs(target: Tensor, probs: Tensor) -> Tensor:
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


def convert_binary_labels_to_hinge(y_true: Tensor) -> Tensor:
    """Labels in {0, 1} become {-1, 1}; other labels are kept (decided on the device)."""
    is_binary = ((y_true == 0) | (y_true == 1)).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


# --- regression -------------------------------------------------------------------------


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    return torch.square(y_true - y_pred).mean(dim=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    return torch.abs(y_true - y_pred).mean(dim=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    diff = torch.abs((y_true - y_pred) / y_true.abs().clamp_min(config.epsilon()))
    return 100.0 * diff.mean(dim=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    eps = config.epsilon()
    first_log = torch.log(y_pred.clamp_min(eps) + 1.0)
    second_log = torch.log(y_true.clamp_min(eps) + 1.0)
    return torch.square(first_log - second_log).mean(dim=-1)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 means same direction."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    return -torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    if x.dim() == 0:
        x = x.unsqueeze(0)
    inv_norm = torch.rsqrt(torch.square(x).sum(dim=axis, keepdim=True))
    return x * inv_norm.clamp_max(1.0 / config.epsilon())


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """Mean over the last axis of `0.5 * e**2` where `|e| <= delta`, else
    `delta * |e| - 0.5 * delta**2`, with `e = y_pred - y_true`."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    if isinstance(delta, (int, float)) and delta > 0:  # torch's fused kernel, same formula
        return F.huber_loss(y_pred, y_true, reduction="none", delta=float(delta)).mean(dim=-1)
    delta = convert_to_tensor(delta, y_pred.dtype, y_pred.device)
    error = y_pred - y_true
    abs_error = error.abs()
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * torch.square(delta)
    return torch.where(abs_error <= delta, quadratic, linear).mean(dim=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow."""
    y_true, y_pred = _pred_true(y_true, y_pred, squeeze=True)
    x = y_pred - y_true
    return (x + F.softplus(x * -2.0) - math.log(2.0)).mean(dim=-1)


# --- hinge ------------------------------------------------------------------------------


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; labels {0, 1} become {-1, 1}."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.clamp_min(1.0 - y_true * y_pred, 0.0).mean(dim=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; {0, 1} become {-1, 1}."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.square(torch.clamp_min(1.0 - y_true * y_pred, 0.0)).mean(dim=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` (last axis)."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp_min(neg - pos + 1.0, 0.0)


# --- probabilistic ----------------------------------------------------------------------


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    y_true = y_true.clamp(config.epsilon(), 1.0)
    y_pred = y_pred.clamp(config.epsilon(), 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = _pred_true(y_true, y_pred)
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
    `y_pred` is a sigmoid output with its logits attached (`loss.attach_logits`): then the
    loss is computed from those logits, which never saturates. `label_smoothing` moves the
    labels towards 0.5: `y * (1 - ls) + 0.5 * ls`.
    """
    y_true, y_pred = _pred_true(y_true, y_pred)
    y_true = _smooth_labels(y_true, label_smoothing, 2)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    logits = y_pred if from_logits else logits_of(y_pred, "sigmoid")
    if logits is not None:
        bce = F.binary_cross_entropy_with_logits(logits, y_true, reduction="none")
    else:
        bce = _bce_on_probs(y_true, y_pred)
    return bce.mean(dim=axis)


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Focal binary crossentropy: `(1 - p_t) ** gamma * bce`, optionally weighted by
    `alpha` (positives) and `1 - alpha` (negatives); averaged over `axis`."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    y_true = _smooth_labels(y_true, label_smoothing, 2)
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    _check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    bce = _bce_on_probs(y_true, y_pred)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return focal_bce.mean(dim=axis)


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
    (`loss.attach_logits`): then `log_softmax(logits)` is used, which never saturates.
    `label_smoothing` mixes the labels with the uniform distribution.
    """
    y_true, y_pred = _categorical_inputs(
        "categorical_crossentropy", y_true, y_pred, axis, label_smoothing
    )
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
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
    return -torch.sum(y_true * torch.log(_normalized_probs(y_pred, axis)), dim=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Focal categorical crossentropy: `sum(alpha * (1 - p) ** gamma * -y * log(p), axis)`."""
    y_true, y_pred = _categorical_inputs(
        "categorical_focal_crossentropy", y_true, y_pred, axis, label_smoothing
    )
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = _normalized_probs(y_pred, axis)
    cce = -y_true * torch.log(output)
    focal_cce = torch.pow(1.0 - output, gamma) * alpha * cce
    return focal_cce.sum(dim=axis)


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
        log_probs = torch.log(_normalized_probs(scores, 1))
        res = F.nll_loss(log_probs, target, reduction="none", ignore_index=ignore_index)
    res = res.reshape(expected)
    if valid_mask is not None:
        res._keras_mask = valid_mask
    return res


# --- segmentation, sequence, similarity -------------------------------------------------


def dice(y_true: Any, y_pred: Any, axis: AxisLike = None) -> Tensor:
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)` over `axis`."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    denominator = _sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon()
    return 1 - (2.0 * intersection) / denominator


def tversky(
    y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: AxisLike = None
) -> Tensor:
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)`, sums over `axis`."""
    y_true, y_pred = _pred_true(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + config.epsilon())


def ctc(y_true: Any, y_pred: Any) -> Tensor:
    """Connectionist Temporal Classification loss, one value per sequence.

    Args:
        y_true: Integer labels `(batch, max_label_length)`, padded with 0 (the blank).
        y_pred: Logits `(batch, time, num_classes)`; class 0 is the blank.
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dim() != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if y_pred.dim() != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    batch, time = y_pred.shape[:2]
    targets = y_true.long()
    target_lengths = (targets != 0).sum(dim=-1)
    input_lengths = torch.full((batch,), time, dtype=torch.long, device=y_pred.device)
    dtype = torch.promote_types(y_pred.dtype, torch.float32)
    log_probs = F.log_softmax(y_pred.to(dtype).transpose(0, 1), dim=-1)  # (time, batch, classes)
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="none")


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> Tensor:
    """Circle loss (Sun et al., 2020) on unit-norm embeddings `y_pred` with labels `y_true`."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device).to(torch.int32)
    ref_embeddings = y_pred if ref_embeddings is None else convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else convert_to_tensor(ref_labels).to(torch.int32)
    distances = (1 - y_pred @ ref_embeddings.T).clamp_min(0.0)  # pairwise cosine distances
    query, key = y_true.reshape(-1, 1), ref_labels.reshape(-1, 1)
    positive = query == key.T
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(query.numel(), key.numel(), dtype=torch.bool, device=positive.device)
        positive = positive & ~eye
    pos_weights = ((margin + distances) * positive).clamp_min(0.0)
    neg_weights = ((1 + margin - distances) * negative).clamp_min(0.0)
    pos_wdists = -1 * gamma * pos_weights * (margin - distances)
    neg_wdists = gamma * neg_weights * (1 - margin - distances)
    p_loss = torch.logsumexp(torch.where(positive, pos_wdists, -math.inf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_wdists, -math.inf), dim=1)
    loss = F.softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0
    return loss


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Tensor:
    """`(1 - p ** q) / q`, with `p` the predicted probability of the integer label."""
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true, device=y_pred.device).long()
    one_hot = F.one_hot(labels.clamp_min(0), y_pred.shape[-1]) * (labels >= 0).unsqueeze(-1)
    p = torch.sum(y_pred * one_hot.to(y_pred.dtype), dim=-1)
    return (1 - torch.pow(p, q)) / q


# --- classes ----------------------------------------------------------------------------


class LossFunctionWrapper(Loss):
    """A `Loss` from a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.

    Before calling `fn`, a trailing axis of size 1 is squeezed or added so that `y_true`
    and `y_pred` have the same rank (`(N,)` against `(N, 1)` becomes `(N, 1)` for both).

    Example:
        >>> import torch
        >>> loss = LossFunctionWrapper(huber, delta=0.5)
        >>> round(float(loss(torch.zeros(1, 2), torch.tensor([[1.0, 0.2]]))), 4)
        0.1975
    """

    _keras_module = "keras.src.losses.losses"
    _keras_registered_name = "LossFunctionWrapper"

    def __init__(
        self,
        fn: Callable[..., Tensor],
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        if isinstance(y_true, Tensor) and isinstance(y_pred, Tensor):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        else:  # matching structures of tensors (custom losses on several outputs)
            pairs = [
                squeeze_or_expand_to_same_rank(t, p)
                for t, p in zip(tree.flatten(y_true), tree.flatten(y_pred), strict=True)
            ]
            y_true = tree.pack_sequence_as(y_true, [t for t, _ in pairs])
            y_pred = tree.pack_sequence_as(y_pred, [p for _, p in pairs])
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        from kerastorch.losses import serialize

        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LossFunctionWrapper:
        from kerastorch.losses import deserialize

        config = dict(config)
        if isinstance(config.get("fn"), (dict, str)):
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.fn.__name__}, kwargs={self._fn_kwargs})>"


class _KerasLoss(LossFunctionWrapper):
    """A built-in loss: serialized as `keras.losses.<ClassName>`; its arguments are attributes
    (`loss.from_logits`, `loss.axis`, ...) and its config, as in Keras."""

    _keras_module = "keras.losses"
    _keras_registered_name = None
    _config_keys: tuple[str, ...] = ()

    def __init__(self, fn: Callable[..., Tensor], **kwargs: Any):
        super().__init__(fn, **kwargs)
        for key in self._config_keys:
            setattr(self, key, self._fn_kwargs[key])

    def get_config(self) -> dict[str, Any]:
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config


class MeanSquaredError(_KerasLoss):
    """Mean of squares of errors: `mean(square(y_true - y_pred))`.

    Example:
        >>> import torch
        >>> float(MeanSquaredError()(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]])))
        0.5
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_KerasLoss):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`.

    Example:
        >>> import torch
        >>> float(MeanAbsoluteError()(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 0.0]])))
        1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(_KerasLoss):
    """`100 * mean(abs((y_true - y_pred) / y_true))`, the denominator at least epsilon.

    Example:
        >>> import torch
        >>> float(MeanAbsolutePercentageError()(torch.tensor([[2.0]]), torch.tensor([[1.0]])))
        50.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanSquaredLogarithmicError(_KerasLoss):
    """`mean(square(log(y_true + 1) - log(y_pred + 1)))`.

    Example:
        >>> import torch
        >>> loss = MeanSquaredLogarithmicError()
        >>> round(float(loss(torch.tensor([[0.0]]), torch.tensor([[math.e - 1]]))), 4)
        1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


class CosineSimilarity(_KerasLoss):
    """Negative cosine similarity along `axis`: -1 for the same direction, 0 orthogonal.

    `get_config()` includes `axis` (Keras 3.15 leaves it out and loses it on reload).

    Example:
        >>> import torch
        >>> float(CosineSimilarity()(torch.tensor([[0.0, 2.0]]), torch.tensor([[0.0, 3.0]])))
        -1.0
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Huber(_KerasLoss):
    """Huber loss: quadratic for errors up to `delta`, linear beyond.

    `get_config()` includes `delta` (Keras 3.15 leaves it out and loses it on reload).

    Example:
        >>> import torch
        >>> float(Huber(delta=1.0)(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.5, 3.0]])))
        1.3125
    """

    _config_keys = ("delta",)

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(_KerasLoss):
    """`mean(log(cosh(y_pred - y_true)))`.

    Example:
        >>> import torch
        >>> round(float(LogCosh()(torch.tensor([[0.0]]), torch.tensor([[1.0]]))), 4)
        0.4338
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class Hinge(_KerasLoss):
    """`mean(maximum(1 - y_true * y_pred, 0))`; labels in {0, 1} are mapped to {-1, 1}.

    Example:
        >>> import torch
        >>> float(Hinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])))
        1.0
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "hinge", dtype: Any = None
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(_KerasLoss):
    """`mean(square(maximum(1 - y_true * y_pred, 0)))`; labels {0, 1} become {-1, 1}.

    Example:
        >>> import torch
        >>> float(SquaredHinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])))
        1.25
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(_KerasLoss):
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Example:
        >>> import torch
        >>> y_true, y_pred = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, 0.7]])
        >>> round(float(CategoricalHinge()(y_true, y_pred)), 4)
        0.6
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)


class KLDivergence(_KerasLoss):
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


class Poisson(_KerasLoss):
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


class BinaryCrossentropy(_KerasLoss):
    """Crossentropy for 0/1 labels (one or several independent labels per sample).

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`; labels become `y * (1 - ls) + 0.5 * ls`.
        axis: The axis to average over. Defaults to `-1`.

    Probabilities are clipped to `[1e-7, 1 - 1e-7]`, but when `y_pred` comes straight from a
    sigmoid that attached its logits (`loss.attach_logits`), the loss is computed from the
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


class BinaryFocalCrossentropy(_KerasLoss):
    """Binary crossentropy down-weighting easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: Weight positives by `alpha` and negatives by `1 - alpha`.
        alpha: Class balance weight. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits, label_smoothing, axis: As in `BinaryCrossentropy`.

    Example:
        >>> import torch
        >>> loss = BinaryFocalCrossentropy(gamma=2.0)
        >>> round(float(loss(torch.tensor([[1.0]]), torch.tensor([[0.5]]))), 4)
        0.1733
    """

    _config_keys = (
        "from_logits",
        "label_smoothing",
        "axis",
        "apply_class_balancing",
        "alpha",
        "gamma",
    )

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(_KerasLoss):
    """Crossentropy for one-hot (or soft) labels over `num_classes` along `axis`.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`; labels become `y * (1 - ls) + ls / num_classes`.
        axis: The class axis. Defaults to `-1`.

    Probabilities are renormalised and clipped to `[1e-7, 1 - 1e-7]`, but when `y_pred`
    comes straight from a softmax over `axis` that attached its logits
    (`loss.attach_logits`), `log_softmax(logits)` is used instead: same numbers in the
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


class CategoricalFocalCrossentropy(_KerasLoss):
    """Categorical crossentropy weighted by `alpha * (1 - p) ** gamma` per class.

    Args:
        alpha: Weighting factor. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits, label_smoothing, axis: As in `CategoricalCrossentropy`.

    Example:
        >>> import torch
        >>> loss = CategoricalFocalCrossentropy()
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))), 4)
        0.0433
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(_KerasLoss):
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
    _integer_labels = True

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


class CTC(_KerasLoss):
    """Connectionist Temporal Classification loss (see `ctc`): blank = 0 = padding.

    Example:
        >>> import torch
        >>> loss = CTC(reduction=None)
        >>> loss(torch.tensor([[1, 0]]), torch.zeros(1, 3, 2)).shape
        torch.Size([1])
    """

    _integer_labels = True

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "ctc", dtype: Any = None
    ):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)


class Dice(_KerasLoss):
    """Dice loss `1 - 2 * |y_true * y_pred| / (|y_true| + |y_pred|)`, sums over `axis`.

    Args:
        axis: Axes to sum over; `None` (default) sums everything into one value.

    Example:
        >>> import torch
        >>> float(Dice()(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0]])))
        0.0
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        axis: AxisLike = None,
        dtype: Any = None,
    ):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Tversky(_KerasLoss):
    """Tversky loss: Dice with false positives weighted by `alpha`, false negatives `beta`.

    Example:
        >>> import torch
        >>> loss = Tversky(alpha=0.5, beta=0.5)
        >>> round(float(loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]))), 4)
        0.5
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        axis: AxisLike = None,
        dtype: Any = None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )


class Circle(_KerasLoss):
    """Circle loss for metric learning on unit-norm embeddings (see `circle`).

    Example:
        >>> import torch
        >>> emb = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])  # unit-norm rows
        >>> round(float(Circle()(torch.tensor([0, 0, 1]), emb)), 4)
        3.2008
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")
    _integer_labels = True

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )


class CategoricalGeneralizedCrossEntropy(_KerasLoss):
    """Generalized crossentropy `(1 - p ** q) / q` for integer labels, robust to label noise.

    Example:
        >>> import torch
        >>> loss = CategoricalGeneralizedCrossEntropy(q=0.5)
        >>> float(loss(torch.tensor([1]), torch.tensor([[0.75, 0.25]])))
        1.0
    """

    _config_keys = ("q",)
    _integer_labels = True

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: `q` must be in the interval (0, 1). "
                f"Received: q={q!r}"
            )
        super().__init__(
            categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q
        )
