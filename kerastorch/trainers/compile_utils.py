"""What `compile(loss=..., metrics=...)` makes of its arguments, one entry per model output.

`CompileLoss` and `CompileMetrics` align the user's specification (one object, a list, or
a dict by output name) with the model's flat outputs, resolve strings once the first batch
shows the label and prediction shapes (`"accuracy"` depends on them, as in Keras), and name
the logs as Keras does: `loss`, `<output>_loss`, `<metric>` or `<output>_<metric>`.

Example:
    >>> import torch
    >>> loss = CompileLoss("mse", None, output_names=["out"])
    >>> float(loss([torch.ones(2, 1)], [torch.zeros(2, 1)], [None]))
    1.0
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import losses as losses_module
from kerastorch.common import tree
from kerastorch.metrics.lookup import resolve_metric
from kerastorch.metrics.reduction_metrics import Mean


def output_names_of(model: Any) -> list[str]:
    """The names that `compile` and the targets align with, one per flat output.

    The keys (sorted) of a model whose output is a dict, else `model.output_names`; a model
    without a graph (subclassed, or a `Sequential` not built yet) has one output, `"output"`.

    Example:
        >>> import kerastorch as keras
        >>> inputs = keras.Input((3,))
        >>> model = keras.Model(inputs, {"b": keras.layers.Dense(1)(inputs), "a": inputs})
        >>> output_names_of(model), output_names_of(keras.Sequential())
        (['a', 'b'], ['output'])
    """
    if not model.outputs:
        return ["output"]
    if isinstance(model.output, dict):
        return sorted(model.output)
    return model.output_names


def flatten_outputs(y_pred: Any) -> list[Any]:
    """The model's outputs as a flat list (a dict of outputs in sorted-key order)."""
    if isinstance(y_pred, torch.Tensor):
        return [y_pred]
    if isinstance(y_pred, dict):
        return [y_pred[k] for k in sorted(y_pred)]
    return tree.flatten(y_pred)


def flatten_targets(y: Any, output_names: list[str], what: str = "targets") -> list[Any]:
    """`y` (one array, a list, or a dict by output name) as one entry per output."""
    n = len(output_names)
    if y is None:
        return [None] * n
    if what == "sample weights" and isinstance(y, torch.Tensor):
        return [y] * n  # one weight per sample, for every output (as Keras)
    if isinstance(y, dict):
        unknown = [key for key in y if key not in output_names]
        if unknown:
            raise ValueError(
                f"The {what} dict has keys {sorted(y)}, but the model's outputs are named "
                f"{output_names}; unknown keys: {unknown}."
            )
        return [y.get(name) for name in output_names]
    if n == 1:
        return [y[0] if isinstance(y, (list, tuple)) and len(y) == 1 else y]
    flat = list(y) if isinstance(y, (list, tuple)) else [y]
    if len(flat) != n:
        raise ValueError(
            f"The model has {n} outputs {output_names}, but {len(flat)} {what} were given. "
            "Pass one per output, as a list or as a dict keyed by output name."
        )
    return flat


def align_to_outputs(spec: Any, output_names: list[str], what: str) -> list[Any]:
    """One entry per output from a single object, a list (one per output) or a dict by name."""
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = [key for key in spec if key not in output_names]
        if unknown:
            raise ValueError(
                f"Expected keys {output_names} in {what} dict, but found {what}.keys()={list(spec)}"
            )
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(
                f"`{what}` must have one entry per model output: the model has {n} output(s) "
                f"{output_names}, but `{what}` has {len(spec)} entries: {spec!r}"
            )
        return list(spec)
    return [spec] * n


def _unwrap_single(entry: Any) -> Any:
    """One output's loss given as a one-element list (`["mse"]`), as Keras accepts it."""
    while isinstance(entry, (list, tuple)) and len(entry) == 1:
        entry = entry[0]
    return entry


def resolve_loss(identifier: Any, y_true: torch.Tensor, y_pred: torch.Tensor) -> Any:
    """Keras's `get_loss`: names, "crossentropy" by shape, functions wrapped in a Loss."""
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in ("crossentropy", "ce"):
        if y_pred.shape[-1] == 1:
            identifier = "binary_crossentropy"
        elif y_true.ndim < y_pred.ndim or y_true.shape[-1] == 1:
            identifier = "sparse_categorical_crossentropy"
        else:
            identifier = "categorical_crossentropy"
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    if callable(loss):
        name = getattr(loss, "__name__", type(loss).__name__)
        return losses_module.LossFunctionWrapper(loss, name=name)
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


class CompileLoss:
    """The compiled loss: `sum(weight_i * loss_i(y_true_i, y_pred_i))` over the outputs.

    When more than one output has a loss, each output's (unweighted) loss is also tracked
    as `<output>_loss`, as Keras logs it.
    """

    def __init__(self, loss: Any, loss_weights: Any, output_names: list[str]):
        self.output_names = list(output_names)
        self.user_losses = [
            _unwrap_single(entry) for entry in align_to_outputs(loss, self.output_names, "loss")
        ]
        weights = loss_weights if loss_weights is not None else 1.0
        self.loss_weights = [
            1.0 if w is None else float(w)
            for w in align_to_outputs(weights, self.output_names, "loss_weights")
        ]
        self.losses: list[Any] = []
        self.trackers: list[Mean | None] = []
        self.built = False

    def build(self, y_true: list[Any], y_pred: list[Any], device: Any = None) -> None:
        """Resolve the loss names from the first labels and outputs (tensors or specs)."""
        self.losses = [
            resolve_loss(spec, t, p) if t is not None else None
            for spec, t, p in zip(self.user_losses, y_true, y_pred, strict=False)
        ]
        tracked = sum(loss is not None for loss in self.losses) > 1
        self.trackers = [
            Mean(name=f"{name}_loss").to(device) if tracked and loss is not None else None
            for name, loss in zip(self.output_names, self.losses, strict=False)
        ]
        self.built = True

    def __call__(self, y_true: list[Any], y_pred: list[Any], sample_weight: list[Any]) -> Any:
        if not self.built:
            self.build(y_true, y_pred, y_pred[0].device)
        total = None
        for loss, weight, tracker, t, p, sw in zip(
            self.losses,
            self.loss_weights,
            self.trackers,
            y_true,
            y_pred,
            sample_weight,
            strict=False,
        ):
            if loss is None or t is None:
                continue
            value = loss(t, p, sample_weight=sw)
            if tracker is not None:
                tracker.update_state(value.detach(), sample_weight=p.shape[0])
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total

    @property
    def metrics(self) -> list[Mean]:
        return [t for t in self.trackers if t is not None]


class CompileMetrics:
    """The compiled metrics (and weighted metrics) of each output, named as Keras logs them.

    It is one entry of `model.metrics` (named `compile_metrics`, as in Keras): a custom
    `train_step` may call `update_state(y, y_pred)` on it with the model's structures, and
    its `result()` is a dict of every compiled metric's result.
    """

    name = "compile_metrics"

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list[str]):
        self.output_names = list(output_names)
        self._user_metrics = self._per_output(metrics, "metrics")
        self._user_weighted = self._per_output(weighted_metrics, "weighted_metrics")
        self._metrics: list[list[Any]] = []
        self._weighted: list[list[Any]] = []
        self.built = False

    def _per_output(self, spec: Any, what: str) -> list[list[Any]]:
        if spec is None:
            return [[] for _ in self.output_names]
        if len(self.output_names) == 1 and not isinstance(spec, dict):
            # One output: every metric applies to it, however nested (`[["accuracy"]]`).
            return [tree.flatten(spec)]
        entries = align_to_outputs(spec, self.output_names, what)
        return [[] if e is None else tree.flatten(e) for e in entries]

    def build(self, y_true: list[Any], y_pred: list[Any], device: Any = None) -> None:
        """Resolve the metrics from the first labels and outputs (tensors or specs)."""
        multi = len(self.output_names) > 1

        def make(specs: list[Any], t: Any, p: Any, output: str) -> list[Any]:
            made = []
            for spec in specs:
                metric = resolve_metric(spec, tuple(t.shape), tuple(p.shape))
                if multi:
                    metric.name = f"{output}_{metric.name}"
                made.append(metric.to(device))
            return made

        self._metrics = [
            make(specs, t, p, name) if t is not None else []
            for specs, t, p, name in zip(
                self._user_metrics, y_true, y_pred, self.output_names, strict=False
            )
        ]
        self._weighted = [
            make(specs, t, p, name) if t is not None else []
            for specs, t, p, name in zip(
                self._user_weighted, y_true, y_pred, self.output_names, strict=False
            )
        ]
        names = {m.name for group in self._metrics for m in group}
        for group in self._weighted:
            for metric in group:
                if metric.name in names:
                    metric.name = f"weighted_{metric.name}"
        self.built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Update every compiled metric; `y_true`/`y_pred` as the model's (or flat lists)."""
        self.update_flat(
            flatten_targets(y_true, self.output_names),
            flatten_outputs(y_pred),
            flatten_targets(sample_weight, self.output_names, "sample weights"),
        )

    def update_flat(
        self, flat_true: list[Any], flat_pred: list[Any], flat_weights: list[Any]
    ) -> None:
        """`update_state` on structures already flat, one entry per output (the trainer's)."""
        if not self.built:
            self.build(flat_true, flat_pred, flat_pred[0].device)
        for group, weighted, t, p, sw in zip(
            self._metrics, self._weighted, flat_true, flat_pred, flat_weights, strict=False
        ):
            if t is None:
                continue
            for metric in group:
                metric.update_state(t, p)
            for metric in weighted:
                metric.update_state(t, p, sample_weight=sw)

    def result(self) -> dict[str, Any]:
        return {metric.name: metric.result() for metric in self.metrics}

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def to(self, device: Any) -> CompileMetrics:
        for metric in self.metrics:
            metric.to(device)
        return self

    @property
    def metrics(self) -> list[Any]:
        """The compiled metrics, flat: each output's metrics, then the weighted metrics."""
        return [m for group in self._metrics for m in group] + [
            m for group in self._weighted for m in group
        ]

    @property
    def variables(self) -> list[Any]:
        return [v for metric in self.metrics for v in metric.variables]


__all__ = [
    "CompileLoss",
    "CompileMetrics",
    "align_to_outputs",
    "flatten_outputs",
    "flatten_targets",
    "output_names_of",
    "resolve_loss",
]
