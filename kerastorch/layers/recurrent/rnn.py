"""`RNN`: runs any cell over the time axis (Keras's recurrent layer base).

Example:
    >>> import torch
    >>> from kerastorch.layers.recurrent.lstm import LSTMCell
    >>> RNN(LSTMCell(4), return_sequences=True)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 4])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.common.serialization import serialize_keras_object
from kerastorch.layers.input_spec import InputSpec, assert_shape_compatibility
from kerastorch.layers.layer import Layer
from kerastorch.layers.recurrent.stacked_rnn_cells import (
    StackedRNNCells,
    config_with_dtype_name,
    deserialize_layer,
)

Tensor = torch.Tensor
# What a recurrent layer without its own `input_spec` accepts: (batch, timesteps, ...).
_SEQUENCES = InputSpec(min_ndim=3)


class RNN(Layer):
    """Base class for recurrent layers: runs `cell` step by step over the time axis.

    The cell is any object with `call(inputs_t, states_t) -> (output_t, new_states)` and a
    `state_size` (an int, or a list of ints, one per state); `output_size` (an int) and
    `get_initial_state(batch_size)` are optional. A list of cells is stacked
    (`StackedRNNCells`). This class runs a Python loop over the steps; `SimpleRNN`, `LSTM`
    and `GRU` replace it with torch's fused kernels where Keras's cuDNN criteria hold.

    Args:
        cell: an RNN cell instance or a list of them.
        return_sequences: return the whole output sequence (`True`) or the last output.
        return_state: also return the last states (`[output, *states]`).
        go_backwards: process the sequence backwards; the output sequence is then in
            processing (reversed) order, as in Keras.
        stateful: the last states of a batch are the initial states of the next one (the
            batch size must be fixed). `reset_state()` zeroes them.
        unroll: Keras's unrolling flag; the loop here is a Python loop either way.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: a tensor or a list of tensors, the cell's initial states.
        mask: `(batch, timesteps)` booleans; a masked step keeps the states and repeats the
            previous output (zeros if `zero_output_for_mask`).
        training: passed to the cell (dropout).

    Output shape:
        `(batch, output_size)`, or `(batch, timesteps, output_size)` with
        `return_sequences`; followed by the states `(batch, state_size)` with `return_state`.

    Example:
        >>> from kerastorch.layers.recurrent.simple_rnn import SimpleRNNCell
        >>> layer = RNN(SimpleRNNCell(3), return_state=True)
        >>> output, state = layer(torch.ones(2, 4, 5))
        >>> output.shape, state.shape
        (torch.Size([2, 3]), torch.Size([2, 3]))
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (single integer or list of "
                f"integers, one integer per RNN state). Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.states: list[Any] | None = None
        self._expected_batch_size: int | None = None
        self._last_call_used_fused_kernel = False
        state_size = getattr(self.cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError(
                "state_size must be an integer, or a list/tuple of integers (one for each "
                f"state tensor). Received: state_size={state_size!r}"
            )
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    # -- shapes and masks ------------------------------------------------------------------
    def compute_output_shape(
        self, sequences_shape: tuple, initial_state_shape: Any = None, **kwargs: Any
    ) -> Any:
        batch_size, length = sequences_shape[0], sequences_shape[1]
        states_shape: list[Any] = []
        for size in self.state_size:
            if isinstance(size, int):
                states_shape.append((batch_size, size))
            else:
                states_shape.append([(batch_size, s) for s in size])
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError(f"output_size must be an integer. Received: {output_size!r}")
        if self.return_sequences:
            output_shape: tuple = (batch_size, length, output_size)
        else:
            output_shape = (batch_size, output_size)
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        mask = tree.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    # -- weights and states ----------------------------------------------------------------
    def build(self, sequences_shape: tuple, initial_state_shape: Any = None) -> None:
        # (batch, timesteps, features...): checked before the cell makes its weights.
        assert_shape_compatibility(self, sequences_shape, self.input_spec or _SEQUENCES)
        step_input_shape = (sequences_shape[0], *tuple(sequences_shape[2:]))
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_input_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        "When using `stateful=True` in a RNN, the batch size must be static. "
                        f"Found dynamic batch size: sequence.shape={tuple(sequences_shape)}"
                    )
                self.states = self.get_initial_state(sequences_shape[0])
                self._expected_batch_size = int(sequences_shape[0])

    def get_build_config(self) -> dict[str, Any] | None:
        shapes = self._build_shapes
        if isinstance(shapes, dict) and "sequences_shape" in shapes:
            return {"input_shape": shapes["sequences_shape"]}
        return super().get_build_config()

    def get_initial_state(self, batch_size: int) -> list[Any]:
        """The cell's initial states for `batch_size` (zeros unless the cell says otherwise)."""
        get_initial_state_fn = getattr(self.cell, "get_initial_state", None)
        if get_initial_state_fn:
            init_state = get_initial_state_fn(batch_size=batch_size)
        else:
            device, dtype = _weights_device_dtype(self)
            return [
                torch.zeros((batch_size, d), device=device, dtype=dtype) for d in self.state_size
            ]
        if not tree.is_nested(init_state):
            init_state = [init_state]
        return list(init_state)

    def reset_state(self) -> None:
        """Zero the states of a stateful layer."""
        if self.states is not None:
            self.states = tree.map_structure(torch.zeros_like, self.states)

    def reset_states(self) -> None:
        """Alias of `reset_state` (tf.keras's name)."""
        self.reset_state()

    # -- the computation -------------------------------------------------------------------
    def call(
        self,
        sequences: Tensor,
        initial_state: Any = None,
        mask: Tensor | None = None,
        training: bool | None = False,
    ) -> Any:
        batch = sequences.shape[0]
        if initial_state is None:
            if self.stateful:
                initial_state = self.states
            else:
                initial_state = self.get_initial_state(batch_size=batch)
        if (
            self.stateful
            and self._expected_batch_size is not None
            and batch != self._expected_batch_size
        ):
            raise ValueError(
                "If an RNN is stateful, the batch size of the input sequences must be the same "
                "as the batch size of the initial state. \n"
                f"- Expected batch size: {self._expected_batch_size}\n"
                f"- Received batch size: {batch}"
            )
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        initial_state = tree.map_structure(
            lambda s: torch.as_tensor(s, device=sequences.device, dtype=sequences.dtype),
            list(initial_state),
        )
        if tree.is_nested(mask):
            mask = mask[0]
        if mask is not None:
            mask = mask.to(device=sequences.device, dtype=torch.bool)

        try:
            result = self._fused_loop(sequences, initial_state, mask, bool(training))
            self._last_call_used_fused_kernel = result is not None
            if result is None:
                result = self._step_loop(sequences, initial_state, mask, bool(training))
        finally:
            _reset_dropout_masks(self.cell)
        last_output, outputs, states = result

        if self.stateful and sequences.device.type != "meta":
            self.states = tree.map_structure(lambda s: s.detach(), list(states))
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def _fused_loop(
        self, sequences: Tensor, initial_state: list[Any], mask: Tensor | None, training: bool
    ) -> tuple[Tensor, Tensor, list[Any]] | None:
        """Subclasses run torch's fused kernel here; None means "use the step loop"."""
        return None

    def _step_loop(
        self, sequences: Tensor, initial_state: list[Any], mask: Tensor | None, training: bool
    ) -> tuple[Tensor, Tensor, list[Any]]:
        """Keras's `backend.rnn`: a Python loop over the steps, masks as Keras applies them."""
        cell_kwargs = {}
        if getattr(self.cell, "_call_has_training", False):
            cell_kwargs["training"] = training
        cell_fn = self.cell if callable(self.cell) else self.cell.call
        steps = range(sequences.shape[1])
        if self.go_backwards:
            steps = reversed(steps)
        states: Any = tuple(initial_state)
        outputs: list[Tensor] = []
        prev_output: Tensor | None = None
        for t in steps:
            step_states = states
            if self.stateful:  # fresh tensors, so that autograd never sees in-place updates
                step_states = tree.map_structure(torch.clone, states)
            output, new_states = cell_fn(sequences[:, t], step_states, **cell_kwargs)
            if not tree.is_nested(new_states):
                new_states = [new_states]
            if mask is not None:
                keep = mask[:, t]  # (B,)
                if prev_output is None:
                    prev_output = torch.zeros_like(output)
                fill = torch.zeros_like(output) if self.zero_output_for_mask else prev_output
                output = torch.where(_expand(keep, output), output, fill)
                flat_new = [
                    torch.where(_expand(keep, n), n, s)
                    for n, s in zip(tree.flatten(new_states), tree.flatten(states), strict=True)
                ]
                new_states = tree.pack_sequence_as(new_states, flat_new)
            prev_output = output
            states = new_states
            if self.return_sequences:
                outputs.append(output)
        stacked = torch.stack(outputs, dim=1) if outputs else prev_output.unsqueeze(1)
        return prev_output, stacked, list(states)

    # -- config ----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize_keras_object(self.cell),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> RNN:
        config = config_with_dtype_name(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _expand(mask_t: Tensor, like: Tensor) -> Tensor:
    """A `(batch,)` mask broadcastable against `like` `(batch, ...)`."""
    return mask_t.reshape(mask_t.shape[0], *([1] * (like.ndim - 1)))


def _reset_dropout_masks(cell: Any) -> None:
    if hasattr(cell, "reset_dropout_mask"):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for inner in getattr(cell, "cells", None) or []:
        _reset_dropout_masks(inner)


def _weights_device_dtype(layer: Layer) -> tuple[torch.device | None, torch.dtype]:
    for tensor in layer.parameters():
        return tensor.device, tensor.dtype
    return None, torch.get_default_dtype()
