"""`jit_compile=True`: the steps of `Trainer` as `torch.compile`d graphs.

- training: the forward pass, the loss, the gradients (`torch.autograd.grad`, traced by
  dynamo with `trace_autograd_ops`) and the optimizer's update are **one** graph, with no
  graph break and no recompilation from one step to the next: the optimizer's step scalars
  (bias corrections, the learning-rate schedule) are computed in the graph from its device
  counter (see `optimizers/optimizer.py`). Optimizers whose step decides something on the
  host (`LossScaleOptimizer`, `gradient_accumulation_steps`) keep the update eager, after a
  compiled forward pass and loss.
- evaluation: the forward pass and the loss are one graph.

Shapes are static (`dynamic=False`): a last, smaller batch compiles one more graph.

Example:
    >>> import torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    >>> steps = compiled_steps(model)
    >>> sorted(model.train_on_batch(torch.ones(4, 3), torch.ones(4, 1), return_dict=True))
    ['loss']
    >>> steps.trains_whole_step
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree

__all__ = ["CompiledSteps", "compiled_steps"]


class CompiledSteps:
    """The compiled steps of one model (made at its first jitted step, dropped by `compile`)."""

    def __init__(self, model: Any):
        self._model = model
        self.forward_and_loss = torch.compile(model._eager_forward_and_loss, dynamic=False)
        optimizer = getattr(model, "optimizer", None)
        self.trains_whole_step = optimizer is not None and optimizer._can_compile_step()
        self._train = torch.compile(self._train_step, dynamic=False)
        # (`torch.compile` has imported dynamo by now: `import kerastorch` does not.)
        self._trace_autograd = torch._dynamo.config.patch(trace_autograd_ops=True)

    def train(self, x: Any, y: Any, sample_weight: Any) -> tuple[Any, torch.Tensor]:
        """Forward, loss, gradients and update in one graph; `(y_pred, loss)`, detached."""
        with self._trace_autograd:  # dynamo traces `torch.autograd.grad` into the graph
            return self._train(x, y, sample_weight)

    def _train_step(self, x: Any, y: Any, sample_weight: Any) -> tuple[Any, torch.Tensor]:
        model = self._model
        with model._autocast():
            y_pred, loss = model._eager_forward_and_loss(x, y, sample_weight, training=True)
        optimizer = model.optimizer
        params = optimizer._params
        if model._trainable_for_step and loss.requires_grad:
            wanted = [i for i, p in enumerate(params) if p.requires_grad]
            grads = torch.autograd.grad(
                optimizer.scale_loss(loss), [params[i] for i in wanted], allow_unused=True
            )
            # Variables the loss does not reach get no update, as with `.grad` left None.
            kept = [(i, g) for i, g in zip(wanted, grads, strict=True) if g is not None]
            if kept:
                indices = [i for i, _ in kept]
                with torch.no_grad():
                    optimizer._apply(
                        [g for _, g in kept],
                        None if indices == list(range(len(params))) else indices,
                    )
        return tree.map_structure(torch.Tensor.detach, y_pred), loss.detach()


def compiled_steps(model: Any) -> CompiledSteps:
    """The model's `CompiledSteps` (kept in `model._compiled_forward`, reset by `compile`)."""
    steps = model._compiled_forward
    if steps is None:
        steps = CompiledSteps(model)
        model.__dict__["_compiled_forward"] = steps
    return steps
