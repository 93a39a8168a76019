"""`jit_compile=True`: the steps of `Trainer` as `torch.compile`d graphs.

- training: the forward pass, the loss, the gradients (`torch.autograd.grad`, traced by
  dynamo with `trace_autograd_ops`) and the optimizer's update are **one** graph, with no
  graph break and no recompilation from one step to the next: the optimizer's step scalars
  (bias corrections, the learning-rate schedule) are computed in the graph from its device
  counter (see `optimizers/optimizer.py`). Optimizers whose step decides something on the
  host (`LossScaleOptimizer`, `gradient_accumulation_steps`) keep the update eager, after a
  compiled forward pass and loss. A model with a convolution or a fused recurrent layer on
  the CPU keeps its forward pass and gradients eager and compiles the update
  (`keeps_forward_eager`).
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
from kerastorch.layers.recurrent.fused_rnn import FusedRNNCell

__all__ = ["CompiledSteps", "compiled_steps", "keeps_forward_eager"]


class CompiledSteps:
    """The compiled steps of one model (made at its first jitted step, dropped by `compile`)."""

    def __init__(self, model: Any):
        self._model = model
        self.forward_and_loss = torch.compile(model._eager_forward_and_loss, dynamic=False)
        optimizer = getattr(model, "optimizer", None)
        self.trains_whole_step = optimizer is not None and optimizer._can_compile_step()
        self.forward_is_eager = self.trains_whole_step and keeps_forward_eager(model)
        self._train = torch.compile(self._train_step, dynamic=False)
        self._update = torch.compile(self._update_step, dynamic=False)
        # (`torch.compile` has imported dynamo by now: `import kerastorch` does not.)
        self._trace_autograd = torch._dynamo.config.patch(trace_autograd_ops=True)

    def train(self, x: Any, y: Any, sample_weight: Any) -> tuple[Any, torch.Tensor]:
        """Forward, loss, gradients and update in one graph; `(y_pred, loss)`, detached.

        With `forward_is_eager`, the forward pass and the gradients run eagerly and the
        update is the compiled graph.
        """
        if self.forward_is_eager:
            y_pred, loss = self._forward(x, y, sample_weight)
            self._update(*self._gradients(loss))
            return tree.map_structure(torch.Tensor.detach, y_pred), loss.detach()
        with self._trace_autograd:  # dynamo traces `torch.autograd.grad` into the graph
            return self._train(x, y, sample_weight)

    def _train_step(self, x: Any, y: Any, sample_weight: Any) -> tuple[Any, torch.Tensor]:
        y_pred, loss = self._forward(x, y, sample_weight)
        self._update_step(*self._gradients(loss))
        return tree.map_structure(torch.Tensor.detach, y_pred), loss.detach()

    def _forward(self, x: Any, y: Any, sample_weight: Any) -> tuple[Any, torch.Tensor]:
        model = self._model
        with model._autocast():
            return model._eager_forward_and_loss(x, y, sample_weight, training=True)

    def _gradients(self, loss: torch.Tensor) -> tuple[list[torch.Tensor], list[int] | None]:
        """`(grads, indices)` of the variables the loss reaches (indices None: all of them)."""
        model = self._model
        optimizer = model.optimizer
        params = optimizer._params
        if not (model._trainable_for_step and loss.requires_grad):
            return [], None
        wanted = [i for i, p in enumerate(params) if p.requires_grad]
        grads = torch.autograd.grad(
            optimizer.scale_loss(loss), [params[i] for i in wanted], allow_unused=True
        )
        # Variables the loss does not reach get no update, as with `.grad` left None.
        kept = [(i, g) for i, g in zip(wanted, grads, strict=True) if g is not None]
        indices = [i for i, _ in kept]
        return [g for _, g in kept], None if indices == list(range(len(params))) else indices

    def _update_step(self, grads: list[torch.Tensor], indices: list[int] | None) -> None:
        if grads:
            with torch.no_grad():
                self._model.optimizer._apply(grads, indices)


def keeps_forward_eager(model: Any) -> bool:
    """Whether `model`'s jitted step keeps the forward pass eager: it runs a convolution or a
    fused recurrent kernel (LSTM, GRU, SimpleRNN) on the CPU.

    Inductor generates neither. On the CPU its training graph calls oneDNN's convolution in
    the layout it picks, with generated pointwise and pooling kernels slower than ATen's
    around it, and torch's decomposition turns the fused oneDNN LSTM into one matmul per
    time step (measured with `benchmarks/jit_check.py`, 1 thread: the whole step compiled is
    1.2x the eager step on cnn, 1.06x on lstm). The eager forward pass and gradients with a
    compiled optimizer update are not slower than eager.
    """
    for module in model.modules():
        if isinstance(module, torch.nn.modules.conv._ConvNd):
            weight = module.weight
        elif isinstance(module, FusedRNNCell):
            weight = module.weight_ih
        else:
            continue
        if weight.device.type == "cpu":
            return True
    return False


def compiled_steps(model: Any) -> CompiledSteps:
    """The model's `CompiledSteps` (kept in `model._compiled_forward`, reset by `compile`)."""
    steps = model._compiled_forward
    if steps is None:
        steps = CompiledSteps(model)
        model.__dict__["_compiled_forward"] = steps
    return steps
