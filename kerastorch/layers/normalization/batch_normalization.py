"""`BatchNormalization`: Keras's batch normalization, computed by `F.batch_norm`.

Example:
    >>> import kerastorch as keras
    >>> keras.layers.BatchNormalization()(keras.Input((8, 8, 3))).shape
    (None, 8, 8, 3)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import distributed as dist

from kerastorch import config as kt_config
from kerastorch import constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class BatchNormalization(Layer):
    """Normalize each feature with batch statistics (training) or moving ones (inference).

    `training=True` normalizes with the mean and (biased) variance of the batch and updates
    `moving_mean = moving_mean * momentum + mean * (1 - momentum)`, and likewise
    `moving_variance` from the *biased* batch variance (Keras's rule; torch's `running_var`
    uses the unbiased one, so it is corrected in place, without a host sync). Inference
    normalizes with the moving statistics. A frozen layer (`trainable = False`) always runs
    in inference mode, as in Keras 3.

    Args:
        axis: int, the features axis (`-1` for channels_last, `1` for channels_first).
        momentum: momentum of the moving averages (Keras's 0.99 = torch's 0.01).
        epsilon: added to the variance (Keras's 1e-3).
        center / scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer / gamma_initializer / moving_mean_initializer /
            moving_variance_initializer: initializers.
        beta_regularizer / gamma_regularizer: regularizers.
        beta_constraint / gamma_constraint: constraints.
        renorm / renorm_clipping / renorm_momentum: Batch Renormalization, as in Keras.
        synchronized: all-reduce the batch statistics over `torch.distributed` ranks (when a
            process group is initialized) during training.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to use (and update) batch statistics.
        mask: booleans of rank `inputs.ndim - 1`; masked entries do not count in the batch
            statistics.

    Weights:
        `[gamma, beta, moving_mean, moving_variance]` (each `(features,)`): `gamma` and
        `beta` are Parameters, the moving statistics buffers (renorm adds the buffers
        `moving_stddev`, `renorm_mean`, `renorm_stddev`).

    Example:
        >>> import torch
        >>> layer = BatchNormalization()
        >>> y = layer(torch.randn(16, 3), training=True)
        >>> [w.name for w in layer.weights]
        ['gamma', 'beta', 'moving_mean', 'moving_variance']
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        renorm: bool = False,
        renorm_clipping: dict[str, float] | None = None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple, bool)):
            raise TypeError(f"BatchNormalization: `axis` must be an int. Received: axis={axis!r}")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        if renorm:
            renorm_clipping = renorm_clipping or {}
            _check_renorm_clipping(renorm_clipping)
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"BatchNormalization: axis {self.axis} is out of bounds for input shape "
                f"{tuple(input_shape)}."
            )
        features = input_shape[self.axis]
        if features is None:
            raise ValueError(
                f"BatchNormalization: axis {self.axis} of the input must have a defined size. "
                f"Received input shape {tuple(input_shape)}."
            )
        shape = (int(features),)
        if self.scale:
            self.gamma = self.add_weight(
                shape=shape,
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                shape=shape,
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        else:
            self.beta = None
        self.moving_mean = self.add_weight(
            shape=shape, name="moving_mean", initializer=self.moving_mean_initializer,
            trainable=False,
        )  # fmt: skip
        self.moving_variance = self.add_weight(
            shape=shape, name="moving_variance", initializer=self.moving_variance_initializer,
            trainable=False,
        )  # fmt: skip
        if self.renorm:
            stddev = self.moving_variance.value.sqrt()
            self.moving_stddev = self.add_weight(
                shape=shape, name="moving_stddev", initializer="ones", trainable=False
            )
            self.moving_stddev.assign(stddev)
            self.renorm_mean = self.add_weight(
                shape=shape, name="renorm_mean", initializer=self.moving_mean_initializer,
                trainable=False,
            )  # fmt: skip
            self.renorm_stddev = self.add_weight(
                shape=shape, name="renorm_stddev", initializer="ones", trainable=False
            )
            self.renorm_stddev.assign(stddev)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: int(features)})

    # -- call ------------------------------------------------------------------------------
    def call(
        self, inputs: Tensor, training: bool | None = None, mask: Tensor | None = None
    ) -> Tensor:
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        # Statistics in at least float32 (half precision overflows), output in compute dtype.
        x = inputs if inputs.dtype in (torch.float32, torch.float64) else inputs.float()
        gamma = self.gamma.value if self.gamma is not None else None
        beta = self.beta.value if self.beta is not None else None
        training = bool(training) and self.trainable
        n = x.numel() // max(x.shape[self.axis], 1)  # values per feature (static)
        distributed = self.synchronized and dist.is_available() and dist.is_initialized()
        if not training or (mask is None and not self.renorm and not distributed and n > 1):
            outputs = self._fused(x, gamma, beta, training, n)
        else:
            outputs = self._explicit(x, gamma, beta, mask, distributed)
        return outputs.to(to_torch_dtype(self.compute_dtype))

    def _fused(self, x: Tensor, gamma: Any, beta: Any, training: bool, n: int) -> Tensor:
        """`F.batch_norm` on a channels-second view of `x`; moving variance made biased."""
        running_mean, running_var = self.moving_mean.tensor, self.moving_variance.tensor
        axis = self.axis % x.ndim
        if axis == 1 or x.ndim in (4, 5) or x.ndim == 2:
            view = x.movedim(axis, 1)  # NHWC -> NCHW-shaped view with channels_last strides
            restore = lambda y: y.movedim(1, axis)  # noqa: E731
        else:  # (N, ..., C) -> (N*..., C): a view of a contiguous tensor
            view = x.movedim(axis, -1).reshape(-1, x.shape[axis])
            shape = x.movedim(axis, -1).shape
            restore = lambda y: y.reshape(shape).movedim(-1, axis)  # noqa: E731
        if training:
            # torch updates its running variance with the unbiased v * n / (n - 1): hand it
            # copies (old variance pre-scaled by n / (n - 1)) and undo the scale when copying
            # back, leaving Keras's momentum * old + (1 - momentum) * v (biased). Copies, so
            # that the tensors autograd saved are never modified afterwards.
            with torch.no_grad():
                new_mean, new_var = running_mean.clone(), running_var * (n / (n - 1))
            y = F.batch_norm(
                view, new_mean, new_var, gamma, beta, True, 1.0 - self.momentum, self.epsilon
            )
            with torch.no_grad():
                running_mean.copy_(new_mean)
                running_var.copy_(new_var * ((n - 1) / n))
        else:
            y = F.batch_norm(view, running_mean, running_var, gamma, beta, False, 0.0, self.epsilon)
        return restore(y)

    def _explicit(
        self, x: Tensor, gamma: Any, beta: Any, mask: Tensor | None, distributed: bool
    ) -> Tensor:
        """Batch statistics computed here: masks, renorm, synchronized, one value/feature."""
        axis = self.axis % x.ndim
        reduce = [d for d in range(x.ndim) if d != axis]
        bshape = [1] * x.ndim
        bshape[axis] = x.shape[axis]
        mean, variance = self._moments(x, reduce, mask, distributed)  # (features,) each
        if self.renorm:
            gamma, beta = self._renorm(mean, variance, gamma, beta)
        else:
            with torch.no_grad():
                m = self.momentum
                self.moving_mean.tensor.mul_(m).add_(mean.detach(), alpha=1.0 - m)
                self.moving_variance.tensor.mul_(m).add_(variance.detach(), alpha=1.0 - m)
        inv = (variance + self.epsilon).rsqrt()
        if gamma is not None:
            inv = inv * gamma
        outputs = (x - mean.reshape(bshape)) * inv.reshape(bshape)
        return outputs + beta.reshape(bshape) if beta is not None else outputs

    def _moments(
        self, x: Tensor, reduce: list[int], mask: Tensor | None, distributed: bool
    ) -> tuple[Tensor, Tensor]:
        if mask is None and not distributed:
            mean = x.mean(reduce, keepdim=True)
            variance = x.square().mean(reduce) - mean.square().reshape(-1)
            return mean.reshape(-1), variance
        if mask is None:
            weights = torch.ones((), dtype=x.dtype, device=x.device).expand(x.shape)
        else:
            weights = mask.unsqueeze(-1).expand(x.shape).to(x.dtype)
        if distributed:  # global sums of (w, w*x, w*x^2) over all ranks
            sums = torch.stack(
                [weights.sum(reduce), (weights * x).sum(reduce), (weights * x.square()).sum(reduce)]
            )
            sums = _all_reduce_sum(sums)
            count = sums[0] + kt_config.epsilon()
            mean = sums[1] / count
            return mean, sums[2] / count - mean.square()
        # Keras's masked moments: weighted mean, then weighted squared deviations.
        count = weights.sum(reduce, keepdim=True) + kt_config.epsilon()
        mean = (x * weights).sum(reduce, keepdim=True) / count
        variance = ((x - mean) * weights).square().sum(reduce, keepdim=True) / count
        return mean.reshape(-1), variance.reshape(-1)

    def _renorm(self, mean: Tensor, variance: Tensor, gamma: Any, beta: Any) -> tuple:
        """Batch Renormalization: corrected scale/offset; renorm and moving stats updated."""
        stddev = (variance + self.epsilon).sqrt()
        floor = torch.tensor(self.epsilon, dtype=mean.dtype, device=mean.device).sqrt()
        renorm_stddev = torch.maximum(self.renorm_stddev.tensor, floor)
        r = (stddev / renorm_stddev).detach()
        d = ((mean - self.renorm_mean.tensor) / renorm_stddev).detach()
        clip = self.renorm_clipping
        if clip.get("rmin") is not None:
            r = r.clamp_min(clip["rmin"])
        if clip.get("rmax") is not None:
            r = r.clamp_max(clip["rmax"])
        if clip.get("dmax") is not None:
            d = d.clamp(-clip["dmax"], clip["dmax"])
        new_gamma = r if gamma is None else r * gamma
        new_beta = d if gamma is None else d * gamma
        if beta is not None:
            new_beta = new_beta + beta
        with torch.no_grad():
            rm, m = self.renorm_momentum, self.momentum
            mean, stddev = mean.detach(), stddev.detach()
            self.renorm_mean.tensor.mul_(rm).add_(mean, alpha=1.0 - rm)
            self.renorm_stddev.tensor.mul_(rm).add_(stddev, alpha=1.0 - rm)
            self.moving_mean.tensor.mul_(m).add_(mean, alpha=1.0 - m)
            moving_stddev = self.moving_stddev.tensor.mul_(m).add_(stddev, alpha=1.0 - m)
            self.moving_variance.tensor.copy_((moving_stddev.square() - self.epsilon).relu())
        return new_gamma, new_beta

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={self.axis}"
            )
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _check_renorm_clipping(clipping: dict[str, float]) -> None:
    keys = ["rmax", "rmin", "dmax"]
    if set(clipping) - set(keys):
        raise ValueError(
            "Received invalid keys for `renorm_clipping` argument: "
            f"{clipping}. Supported values: {keys}."
        )
    rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError(
            "rmax should be greater than rmin in the `renorm_clipping` argument. "
            f"Received: rmax={rmax}, rmin={rmin}."
        )
    if dmax is not None and dmax < 0:
        raise ValueError(
            f"dmax should be non-negative in the `renorm_clipping` argument. Received: dmax={dmax}."
        )


def _all_reduce_sum(t: Tensor) -> Tensor:
    """Sum over ranks; the gradient is summed over ranks too (as in torch's SyncBatchNorm)."""
    return _AllReduceSum.apply(t)


class _AllReduceSum(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, t: Tensor) -> Tensor:
        out = t.clone()
        dist.all_reduce(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad
