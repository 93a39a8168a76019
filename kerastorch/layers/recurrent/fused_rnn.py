"""What SimpleRNN, LSTM and GRU share: torch-layout weight storage and the fused kernels.

`FusedRNNCell` is the base of `SimpleRNNCell`, `LSTMCell` and `GRUCell`. It stores the
weights as torch's recurrent kernels want them (`weight_ih (gates*units, input_dim)`,
`weight_hh (gates*units, units)`, biases), exposes them in Keras's layout through
`Variable` views, keeps them in one cuDNN-ready chunk on CUDA (`flatten_parameters`) and
holds the per-call dropout masks (Keras's `DropoutRNNCell`).

`run_fused` runs a whole sequence through `torch._VF.lstm` / `gru` / `rnn_tanh` /
`rnn_relu` (cuDNN on CUDA). Right-padded masks become packed sequences; the outputs at the
masked steps are then rebuilt exactly as Keras's step loop writes them.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import torch
import torch.backends.cudnn.rnn as cudnn_rnn
import torch.nn.functional as F
from torch import nn

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.stacked_rnn_cells import config_with_dtype_name
from kerastorch.variables import Variable

Tensor = torch.Tensor


# -------------------------------------------------------------------------------------------
# Layout transforms (picklable: module-level functions and functools.partial)
# -------------------------------------------------------------------------------------------
def swap_first_two_blocks(t: Tensor, axis: int) -> Tensor:
    """Swap the first two of three equal gate blocks along `axis` (GRU: torch r,z,n <-> z,r,h).

    The permutation is its own inverse, so it converts both ways.
    """
    a, b, c = t.chunk(3, dim=axis)
    return torch.cat([b, a, c], dim=axis)


def gru_matrix_to_keras(t: Tensor) -> Tensor:
    """torch `(3u, n)` with gates r,z,n -> Keras `(n, 3u)` with gates z,r,h."""
    return swap_first_two_blocks(t, 0).T


def gru_matrix_from_keras(t: Tensor) -> Tensor:
    """Keras `(n, 3u)` with gates z,r,h -> torch `(3u, n)` with gates r,z,n."""
    return swap_first_two_blocks(t.T, 0)


gru_bias_transform = functools.partial(swap_first_two_blocks, axis=-1)


def is_activation(fn: Any, name: str) -> bool:
    """Whether `fn` is the named Keras activation (`"tanh"`, `"sigmoid"`, `"relu"`)."""
    return fn is getattr(activations, name) or fn is getattr(torch, name, None)


# -------------------------------------------------------------------------------------------
# The base cell
# -------------------------------------------------------------------------------------------
class FusedRNNCell(Layer):
    """Base of the built-in cells: torch-layout storage, cuDNN flattening, dropout masks.

    Subclasses set `_mode` (torch's RNN mode name), build their weights into the attributes
    `weight_ih`, `weight_hh` and `bias_ih` / `bias_hh` (or GRU's `bias_ih_hh`, which
    overrides `fused_weights()`, the list torch's kernels take), and may override
    `fused_mode()` (the mode for the current activations, or None when no torch kernel
    computes this cell). `get_config()` holds the arguments every cell shares.
    """

    _mode: ClassVar[str] = ""
    _dropout_mask_count: ClassVar[int] = 1  # masks per step when recurrent dropout is on

    def __init__(
        self,
        units: int,
        activation: Any,
        use_bias: bool,
        kernel_initializer: Any,
        recurrent_initializer: Any,
        bias_initializer: Any,
        kernel_regularizer: Any,
        recurrent_regularizer: Any,
        bias_regularizer: Any,
        kernel_constraint: Any,
        recurrent_constraint: Any,
        bias_constraint: Any,
        dropout: float,
        recurrent_dropout: float,
        seed: int | None,
        **kwargs: Any,
    ):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for argument `units`, expected a positive integer, "
                f"got {units}."
            )
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed  # dropout draws from torch's global generator (seed kept for config)
        self._dropout_mask: Any = None
        self._recurrent_dropout_mask: Any = None

    def _build_matrices(self, input_dim: int, gates: int, to_keras: Any, from_keras: Any) -> None:
        """`weight_ih (gates*u, in)` / `weight_hh (gates*u, u)` as `kernel` / `recurrent_kernel`."""
        dtype = to_torch_dtype(self.dtype)
        size = gates * self.units
        self.weight_ih = nn.Parameter(torch.empty(size, input_dim, dtype=dtype))
        self.weight_hh = nn.Parameter(torch.empty(size, self.units, dtype=dtype))
        self.kernel = self.track_variable(
            Variable(
                self, "weight_ih", "kernel", constraint=self.kernel_constraint,
                to_keras=to_keras, from_keras=from_keras,
            ),
            regularizer=self.kernel_regularizer,
        )  # fmt: skip
        self.recurrent_kernel = self.track_variable(
            Variable(
                self, "weight_hh", "recurrent_kernel", constraint=self.recurrent_constraint,
                to_keras=to_keras, from_keras=from_keras,
            ),
            regularizer=self.recurrent_regularizer,
        )  # fmt: skip
        self.kernel.assign(self.kernel_initializer((input_dim, size), dtype=self.dtype))
        self.recurrent_kernel.assign(
            self.recurrent_initializer((self.units, size), dtype=self.dtype)
        )

    def _build_bias(self, attr: str, shape: tuple[int, ...], transform: Any = None) -> None:
        """The Keras `bias` stored as `attr` (torch layout via `transform`)."""
        setattr(self, attr, nn.Parameter(torch.empty(shape, dtype=to_torch_dtype(self.dtype))))
        self.bias = self.track_variable(
            Variable(
                self, attr, "bias", constraint=self.bias_constraint,
                to_keras=transform, from_keras=transform,
            ),
            regularizer=self.bias_regularizer,
        )  # fmt: skip

    def _zero_bias_hh(self, size: int) -> None:
        """torch's second bias, which Keras does not have: a zero buffer (not trained)."""
        self.register_buffer(
            "bias_hh", torch.zeros(size, dtype=to_torch_dtype(self.dtype)), persistent=False
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    # -- storage -------------------------------------------------------------------------
    def fused_weights(self) -> list[Tensor]:
        """The weights in the order torch's kernels take them (`_flat_weights`)."""
        if self.use_bias:
            return [self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh]
        return [self.weight_ih, self.weight_hh]

    def fused_mode(self) -> str | None:
        """torch's mode (`"LSTM"`, `"GRU"`, `"RNN_TANH"`, `"RNN_RELU"`), None if none fits."""
        return self._mode

    def flatten_parameters(self) -> None:
        """On CUDA, put the weights in one chunk laid out as cuDNN wants (no repack per call).

        What `nn.LSTM.flatten_parameters` does, for storage that is not an `nn.LSTM`
        (LSTM's zero `bias_hh` is a buffer, GRU's Keras bias is one `(2, 3u)` tensor).
        """
        weights = self.fused_weights() if self.built else []
        mode = self.fused_mode()
        first = weights[0] if weights else None
        if (
            mode is None
            or first is None
            or first.device.type != "cuda"
            or not torch.backends.cudnn.is_acceptable(first)
            or not torch._use_cudnn_rnn_flatten_weight()
        ):
            return
        with torch.no_grad(), torch.cuda.device_of(first):
            copies = [w.detach().clone() for w in weights]
            torch._cudnn_rnn_flatten_weight(
                copies,
                len(copies),  # weights per layer: 4 with biases, else 2
                self.weight_ih.shape[1],
                cudnn_rnn.get_cudnn_mode(mode),
                self.units,
                0,  # proj_size
                1,  # num_layers
                True,  # batch_first
                False,  # bidirectional
            )
            self._adopt_flat_weights(copies)

    def _adopt_flat_weights(self, flat: list[Tensor]) -> None:
        """Point the storage at the views of the flattened chunk (same order as fused_weights)."""
        self.weight_ih.data = flat[0]
        self.weight_hh.data = flat[1]
        if len(flat) == 4:
            self.bias_ih.data = flat[2]
            self.bias_hh = flat[3]

    def _apply(self, fn: Any, recurse: bool = True) -> FusedRNNCell:
        result = super()._apply(fn, recurse)
        self.flatten_parameters()
        return result

    def _zeros(self, batch_size: int, size: int) -> Tensor:
        weight = self.weight_ih if self.built else None
        device = weight.device if weight is not None else None
        dtype = weight.dtype if weight is not None else torch.get_default_dtype()
        return torch.zeros((batch_size, size), device=device, dtype=dtype)

    # -- dropout masks (Keras's DropoutRNNCell): one mask per call, shared by every step ----
    def _make_masks(self, like: Tensor, rate: float, count: int) -> Any:
        ones = torch.ones_like(like)
        masks = [F.dropout(ones, p=rate, training=True) for _ in range(count)]
        return masks[0] if count == 1 else masks

    def get_dropout_mask(self, step_input: Tensor) -> Any:
        """The input dropout mask(s) of this call, made on first use."""
        if self._dropout_mask is None and self.dropout > 0:
            count = self._dropout_mask_count if self.recurrent_dropout > 0 else 1
            self._dropout_mask = self._make_masks(step_input, self.dropout, count)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state: Tensor) -> Any:
        """The recurrent dropout mask(s) of this call, made on first use."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._make_masks(
                state, self.recurrent_dropout, self._dropout_mask_count
            )
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None

    def get_initial_state(self, batch_size: int | None = None) -> list[Tensor]:
        """Zero states, one `(batch_size, size)` tensor per entry of `state_size`."""
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [self._zeros(batch_size, size) for size in sizes]


def split_dropout(x: Tensor, masks: Any, count: int) -> list[Tensor]:
    """`count` copies of `x`, each times its own mask (or `x` itself without masks)."""
    if masks is None:
        return [x] * count
    if isinstance(masks, list):
        return [x * m for m in masks]
    return [x * masks] * count


# -------------------------------------------------------------------------------------------
# The fused run
# -------------------------------------------------------------------------------------------
def _kernel(mode: str) -> Any:
    return {
        "LSTM": torch._VF.lstm,
        "GRU": torch._VF.gru,
        "RNN_TANH": torch._VF.rnn_tanh,
        "RNN_RELU": torch._VF.rnn_relu,
    }[mode]


def _run_kernel(
    mode: str, x: Tensor, states: list[Tensor], weights: list[Tensor], lengths: Tensor | None
) -> tuple[Tensor, list[Tensor]]:
    """One layer, one direction: `(outputs (B, T, u), final states)`; packed with `lengths`."""
    hx = [s.unsqueeze(0) for s in states]  # (1, B, u) each
    hx_arg = tuple(hx) if mode == "LSTM" else hx[0]
    has_biases = len(weights) == 4
    train = torch.is_grad_enabled()  # cuDNN keeps its workspace for backward only in train mode
    if lengths is None:
        result = _kernel(mode)(x, hx_arg, weights, has_biases, 1, 0.0, train, False, True)
        return result[0], [h.squeeze(0) for h in result[1:]]
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    order, unorder = packed.sorted_indices, packed.unsorted_indices
    hx = [h.index_select(1, order) for h in hx]
    hx_arg = tuple(hx) if mode == "LSTM" else hx[0]
    result = _kernel(mode)(
        packed.data, packed.batch_sizes, hx_arg, weights, has_biases, 1, 0.0, train, False
    )
    out_packed = nn.utils.rnn.PackedSequence(result[0], packed.batch_sizes, order, unorder)
    outputs, _ = nn.utils.rnn.pad_packed_sequence(
        out_packed, batch_first=True, total_length=x.shape[1]
    )
    return outputs, [h.index_select(1, unorder).squeeze(0) for h in result[1:]]


def right_padded_lengths(mask: Tensor) -> Tensor | None:
    """Per-sample lengths (a CPU int64 tensor) if `mask` (B, T) is right-padded, else None.

    This reads the mask on the host once: torch's packed kernels take lengths on the CPU.
    """
    mask = mask.to(torch.bool)
    lengths = mask.sum(dim=1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    right_padded = torch.all(mask == (steps[None, :] < lengths[:, None]))
    lengths, right_padded = (
        torch.cat([lengths, right_padded.reshape(1).long()]).cpu().split([mask.shape[0], 1])
    )
    return lengths if bool(right_padded) else None


def run_fused(
    cell: FusedRNNCell,
    sequences: Tensor,
    states: list[Tensor],
    mask: Tensor | None,
    *,
    go_backwards: bool,
    zero_output_for_mask: bool,
) -> tuple[Tensor, Tensor, list[Tensor]] | None:
    """Run `cell` over `sequences` (B, T, F) with torch's fused kernel.

    Returns Keras's `(last_output, outputs, states)` (outputs in processing order, as Keras's
    step loop writes them), or None when `mask` is not right-padded (the caller then runs
    the step loop).
    """
    mode = cell.fused_mode()
    weights = cell.fused_weights()
    steps = sequences.shape[1]
    lengths = None
    if mask is not None and sequences.device.type != "meta":
        lengths = right_padded_lengths(mask)
        if lengths is None:
            return None
        if bool((lengths == steps).all()):
            lengths = None  # nothing is masked
    if lengths is None:
        x = torch.flip(sequences, [1]) if go_backwards else sequences
        outputs, final = _run_kernel(mode, x, states, weights, None)
        return outputs[:, -1], outputs, final

    # Right-padded: pack. A fully masked sample keeps its initial state and zero outputs.
    device = sequences.device
    valid = (lengths > 0).to(device)  # (B,)
    lengths_dev = lengths.to(device)
    time = torch.arange(steps, device=device)
    x = sequences
    if go_backwards:  # reverse each sequence within its length
        rev = (lengths_dev[:, None] - 1 - time[None, :]) % steps  # (B, T)
        rev = torch.where(time[None, :] < lengths_dev[:, None], rev, time[None, :])
        x = sequences.gather(1, rev[..., None].expand(-1, -1, sequences.shape[2]))
    packed_out, final = _run_kernel(mode, x, states, weights, lengths.clamp(min=1))
    units = packed_out.shape[-1]
    last = (lengths_dev - 1).clamp(min=0)[:, None]  # (B, 1)
    if go_backwards:
        # Keras steps through T - L masked (zero-output) steps first, then the L valid ones.
        shift = steps - lengths_dev[:, None]
        index = (time[None, :] - shift).clamp(min=0)
        outputs = packed_out.gather(1, index[..., None].expand(-1, -1, units))
        outputs = torch.where((time[None, :] >= shift)[..., None], outputs, 0.0)
    elif zero_output_for_mask:
        outputs = packed_out  # zeros after each sequence's end
    else:
        index = torch.minimum(time[None, :], last)  # repeat the last valid output
        outputs = packed_out.gather(1, index[..., None].expand(-1, -1, units))
    outputs = torch.where(valid[:, None, None], outputs, 0.0)
    final = [torch.where(valid[:, None], f, s) for f, s in zip(final, states, strict=True)]
    return outputs[:, -1], outputs, final


# -------------------------------------------------------------------------------------------
# The base layer
# -------------------------------------------------------------------------------------------
def cell_property(name: str) -> property:
    """A read-only layer attribute that forwards to the cell's (`LSTM.units` -> `cell.units`)."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


_CELL_ONLY_KEYS = ("name", "trainable", "dtype")


class FusedRNN(RNN):
    """Base of `SimpleRNN`, `LSTM` and `GRU`: the fused kernel where Keras's criteria hold.

    The criteria (Keras's cuDNN conditions): the cell's activations have a torch kernel
    (`fused_mode()`), `recurrent_dropout == 0`, `unroll=False`, `use_cudnn` not False, and
    a mask, if any, is right-padded. Otherwise the step loop runs. `_last_call_used_fused_kernel`
    says which ran on the last call.
    """

    def __init__(self, cell: FusedRNNCell, *, use_cudnn: Any = "auto", **kwargs: Any):
        super().__init__(cell, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "Invalid valid received for argument `use_cudnn`. Expected one of "
                f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}"
            )
        self.use_cudnn = use_cudnn

    # What every built-in cell has, read through the layer as in Keras (`LSTM.units`).
    units = cell_property("units")
    activation = cell_property("activation")
    use_bias = cell_property("use_bias")
    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def fused_criteria_met(self) -> bool:
        """Whether the configuration lets torch's fused kernel run (masks aside)."""
        cell = self.cell
        return (
            self.use_cudnn is not False
            and cell.fused_mode() is not None
            and not cell.recurrent_dropout
            and not self.unroll
        )

    def _fused_loop(
        self, sequences: Tensor, initial_state: list[Any], mask: Tensor | None, training: bool
    ) -> tuple[Tensor, Tensor, list[Tensor]] | None:
        result = None
        if self.fused_criteria_met():
            if training and self.cell.dropout:
                # One input dropout mask for every step, as Keras's cell loop applies it.
                dp_mask = self.cell.get_dropout_mask(sequences[:, 0])  # (B, F)
                sequences = sequences * dp_mask[:, None, :]
            result = run_fused(
                self.cell,
                sequences,
                list(initial_state),
                mask,
                go_backwards=self.go_backwards,
                zero_output_for_mask=self.zero_output_for_mask,
            )
        if result is None and self.use_cudnn is True:
            raise ValueError(
                "use_cudnn=True was specified, but cuDNN is not supported for this layer "
                "configuration with this backend. Pass use_cudnn='auto' to fallback to a "
                "non-cuDNN implementation."
            )
        return result

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["cell"]
        cell_config = {k: v for k, v in self.cell.get_config().items() if k not in _CELL_ONLY_KEYS}
        return {
            **config,
            **cell_config,
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> FusedRNN:
        return cls(**config_with_dtype_name(config))
