"""Intersection-over-union metrics for segmentation: `IoU`, `MeanIoU`, `BinaryIoU`,
`OneHotIoU` and `OneHotMeanIoU`.

The state is a `(num_classes, num_classes)` confusion matrix (rows: labels, columns:
predictions), accumulated with a scatter-add on the device. `IoU = TP / (TP + FP + FN)` per
class; classes absent from both labels and predictions are left out of the mean.

Example:
    >>> m = MeanIoU(num_classes=2)
    >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.metrics.formulas import to_tensor
from kerastorch.metrics.metric import Metric


class _IoUBase(Metric):
    """Accumulates the confusion matrix shared by the IoU metrics."""

    config_keys: tuple[str, ...] = ()

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        # An integer confusion matrix by default, as in Keras.
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes), dtype=self.dtype, name="total_confusion_matrix"
        )

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add this batch to the confusion matrix.

        Args:
            y_true: class ids (or one-hot / scores if `sparse_y_true=False`).
            y_pred: class ids (or scores if `sparse_y_pred=False`).
            sample_weight: optional weights, broadcastable to the flattened labels.
        """
        device = self._follow(y_pred)
        dtype = to_torch_dtype(self.dtype)
        y_true = to_tensor(y_true, device=device)
        y_pred = to_tensor(y_pred, device=device)
        if not self.sparse_y_true:
            y_true = torch.argmax(y_true, dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(y_pred, dim=self.axis)
        y_true, y_pred = y_true.to(dtype).reshape(-1), y_pred.to(dtype).reshape(-1)
        if sample_weight is None:
            sample_weight = torch.ones((), dtype=dtype, device=device)
        else:
            weight_dtype = str(getattr(sample_weight, "dtype", ""))
            if "float" in weight_dtype and not dtype.is_floating_point:
                warnings.warn(
                    "You are passing weight as `float`, but dtype is `int`. This may result in "
                    "an incorrect weight due to type casting Consider using integer weights.",
                    stacklevel=2,
                )
            sample_weight = to_tensor(sample_weight, dtype=dtype, device=device)
            if sample_weight.ndim > 1:
                sample_weight = sample_weight.reshape(-1)
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        # Out-of-range ids (and `ignore_class`) get weight 0 at cell (0, 0): no Python branch.
        in_range = (y_true >= 0) & (y_true < self.num_classes)
        in_range &= (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            in_range &= y_true != self.ignore_class
        y_true = torch.where(in_range, y_true, 0).long()
        y_pred = torch.where(in_range, y_pred, 0).long()
        sample_weight = torch.where(in_range, sample_weight, 0).to(dtype)
        cells = y_true * self.num_classes + y_pred
        self.total_cm.tensor.view(-1).scatter_add_(0, cells, sample_weight)

    def reset_state(self) -> None:
        self.total_cm.tensor.zero_()

    def get_config(self) -> dict[str, Any]:
        """`config_keys` (Keras's config of each IoU class, in its order) read off `self`."""
        return {key: getattr(self, key) for key in self.config_keys}


class IoU(_IoUBase):
    """Intersection-over-union, averaged over `target_class_ids`.

    Args:
        num_classes: number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: name of the metric instance.
        dtype: dtype of the confusion matrix (default `"int32"`).
        ignore_class: a label id left out of the metric (e.g. a "void" class).
        sparse_y_true: whether labels are class ids (True) or one-hot/scores (False).
        sparse_y_pred: whether predictions are class ids (True) or scores (False).
        axis: the class axis of non-sparse inputs.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
        0.3333
    """

    config_keys = (
        "name",
        "dtype",
        "num_classes",
        "target_class_ids",
        "ignore_class",
        "sparse_y_true",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            dtype=dtype,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"{type(self).__name__}: target class id {max(target_class_ids)} is out of "
                f"range, which is [0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)
        ids = torch.tensor(self.target_class_ids, dtype=torch.long, device=self._state_device())
        self.register_buffer("_target_class_ids", ids, persistent=False)

    def result(self) -> torch.Tensor:
        eps = config.epsilon()
        cm = self.total_cm.value.to(torch.float32)
        sum_over_row, sum_over_col = torch.sum(cm, dim=0), torch.sum(cm, dim=1)
        true_positives = torch.diagonal(cm)
        # sum_over_row + sum_over_col = 2 * TP + FP + FN
        denominator = (sum_over_row + sum_over_col - true_positives)[self._target_class_ids]
        true_positives = true_positives[self._target_class_ids]
        valid = denominator > 1e-9  # classes seen neither in labels nor predictions: skipped
        iou = torch.where(valid, true_positives / (denominator + eps), 0.0)
        return torch.sum(iou, dim=self.axis) / (torch.sum(valid.to(torch.float32)) + eps)


class BinaryIoU(IoU):
    """IoU of binary labels against thresholded predictions (`y_pred >= threshold` is 1).

    Args:
        target_class_ids: which of the classes (0, 1) to average. Defaults to both.
        threshold: predictions at or above it count as class 1. Defaults to 0.5.
        name: name of the metric instance.
        dtype: dtype of the confusion matrix (default `"int32"`).

    Example:
        >>> m = BinaryIoU(target_class_ids=[1])
        >>> round(float(m([0, 1, 1], [0.2, 0.7, 0.4])), 4)
        0.5
    """

    config_keys = ("target_class_ids", "threshold", "name", "dtype")

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        device = self._follow(y_pred)
        y_true = to_tensor(y_true, dtype=self.dtype, device=device)
        y_pred = to_tensor(y_pred, dtype="float32", device=device) >= self.threshold
        super().update_state(y_true, y_pred.to(y_true.dtype), sample_weight)


class MeanIoU(IoU):
    """IoU averaged over all classes.

    Args:
        num_classes: number of classes.
        name: name of the metric instance.
        dtype: dtype of the confusion matrix (default `"int32"`).
        ignore_class: a label id left out of the metric.
        sparse_y_true: whether labels are class ids (True) or one-hot/scores (False).
        sparse_y_pred: whether predictions are class ids (True) or scores (False).
        axis: the class axis of non-sparse inputs.

    Example:
        >>> m = MeanIoU(num_classes=2)
        >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
        0.3333
    """

    config_keys = (
        "num_classes",
        "name",
        "dtype",
        "ignore_class",
        "sparse_y_true",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            axis=axis,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
        )


class OneHotIoU(IoU):
    """IoU of one-hot labels against scores (argmax), averaged over `target_class_ids`.

    Args:
        num_classes: number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: name of the metric instance.
        dtype: dtype of the confusion matrix (default `"int32"`).
        ignore_class: a label id left out of the metric.
        sparse_y_pred: whether predictions are class ids (True) or scores (False, default).
        axis: the class axis.

    Example:
        >>> m = OneHotIoU(num_classes=2, target_class_ids=[1])
        >>> round(float(m([[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]])), 4)
        1.0
    """

    config_keys = (
        "num_classes",
        "target_class_ids",
        "name",
        "dtype",
        "ignore_class",
        "sparse_y_pred",
        "axis",
    )

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )


class OneHotMeanIoU(MeanIoU):
    """IoU of one-hot labels against scores (argmax), averaged over all classes.

    Args:
        num_classes: number of classes.
        name: name of the metric instance.
        dtype: dtype of the confusion matrix (default `"int32"`).
        ignore_class: a label id left out of the metric.
        sparse_y_pred: whether predictions are class ids (True) or scores (False, default).
        axis: the class axis.

    Example:
        >>> m = OneHotMeanIoU(num_classes=2)
        >>> round(float(m([[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]])), 4)
        1.0
    """

    config_keys = ("num_classes", "name", "dtype", "ignore_class", "sparse_y_pred", "axis")

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            axis=axis,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
        )
