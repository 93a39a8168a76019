"""Connectionist temporal classification of `keras.ops.nn`: `ctc_loss` and `ctc_decode`.

`ctc_loss` is `torch.nn.functional.ctc_loss` on Keras's layout (`output` is
`(batch, time, classes)` logits; the blank is `mask_index`). `ctc_decode` decodes greedily
(best class per step) or by beam search (`strategy="beam_search"`): the beam search is
Keras's own algorithm (its JAX reference, ported to torch by Keras), with the same
tie-breaking, so it returns the same paths and scores; it loops over the batch and the
time steps in Python and reads `sequence_lengths` on the host.

Example:
    >>> import torch
    >>> logits = torch.tensor([[[0.0, 5.0, 0.0], [0.0, 5.0, 0.0], [5.0, 0.0, 0.0]]])
    >>> paths, scores = ctc_decode(logits, torch.tensor([3]))
    >>> paths.tolist()
    [[[1, -1, -1]]]
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["ctc_decode", "ctc_loss"]

_PAD = -1
# Knuth's multiplicative hash constant: the base of the path hash (int64 overflow wraps).
_HASH_BASE = 2654435769


def _float_input(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    return x.to(to_torch_dtype(result_type(x.dtype, "float32")))


@keras_op(
    "nn", tensors=("target", "output", "target_length", "output_length"), class_name="CTCLoss"
)
def ctc_loss(
    target: Any, output: Any, target_length: Any, output_length: Any, mask_index: int = 0
) -> Tensor:
    """CTC loss per batch element.

    Args:
        target: `(batch, max_label_length)` integer labels.
        output: `(batch, time, classes)` logits (log-softmax is applied here).
        target_length: `(batch,)` label lengths.
        output_length: `(batch,)` output lengths.
        mask_index: The blank class. Default 0.

    Returns:
        `(batch,)` losses, float32 (or float64 for float64 logits).
    """
    target = convert_to_tensor(target)
    output = _float_input(output)
    target_length = convert_to_tensor(target_length)
    output_length = convert_to_tensor(output_length)
    for name, value in (
        ("target", target),
        ("target_length", target_length),
        ("output_length", output_length),
    ):
        if value.shape[:1] != output.shape[:1]:
            raise ValueError(
                f"ctc_loss: `{name}` and `output` must have the same first (batch) dimension. "
                f"Received: {name}.shape={tuple(value.shape)}, output.shape={tuple(output.shape)}"
            )
    log_probs = torch.log_softmax(output.transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs, target, output_length, target_length, blank=mask_index, reduction="none"
    )


@keras_op("nn", tensors=("inputs", "sequence_lengths"), class_name="CTCDecode")
def ctc_decode(
    inputs: Any,
    sequence_lengths: Any,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int | None = 0,
) -> tuple[Tensor, Tensor]:
    """Decode CTC logits into label paths (`-1` pads the paths; blanks are dropped).

    Args:
        inputs: `(batch, time, classes)` logits (not softmax-normalized).
        sequence_lengths: `(batch,)` lengths.
        strategy: `"greedy"` or `"beam_search"`.
        beam_width: Beams kept per step (beam search).
        top_paths: Paths returned (beam search; greedy returns 1).
        merge_repeated: Merge repeated labels (greedy; beam search always does).
        mask_index: The blank class; `None` is the last class.

    Returns:
        `(paths, scores)`: `paths` int32 `(top_paths, batch, time)`; `scores`
        `(batch, top_paths)`: greedy, minus the sum of the best logits; beam search, the
        log-probability of each path.
    """
    x = _float_input(inputs)
    lengths = convert_to_tensor(sequence_lengths).to(torch.int32)
    if x.dim() != 3:
        raise ValueError(
            f"ctc_decode: `inputs` must be (batch, time, classes). Received: "
            f"inputs.shape={tuple(x.shape)}"
        )
    classes = x.shape[-1]
    blank = classes - 1 if mask_index is None else mask_index
    if strategy == "greedy":
        return _greedy(x, lengths, merge_repeated, blank)
    if strategy == "beam_search":
        if x.device.type == "meta":  # shape inference: no values to decode
            batch, time = x.shape[:2]
            paths = torch.empty(top_paths, batch, time, dtype=torch.int32, device="meta")
            return paths, torch.empty(batch, top_paths, dtype=x.dtype, device="meta")
        return _beam_search(x, lengths, beam_width, top_paths, blank)
    raise ValueError(
        f"ctc_decode: invalid `strategy` {strategy!r}. Supported values are 'greedy' and "
        "'beam_search'."
    )


def _greedy(x: Tensor, lengths: Tensor, merge_repeated: bool, blank: int) -> tuple:
    batch, time, _ = x.shape
    indices = torch.argmax(x, dim=-1).to(torch.int32)
    scores = torch.amax(x, dim=-1)
    steps = torch.arange(time, device=x.device)
    past_end = steps[None, :] >= lengths[:, None]
    indices = torch.where(past_end, blank, indices)
    scores = torch.where(past_end, 0.0, scores)
    if merge_repeated:
        repeat = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0))
        indices = torch.where(repeat, blank, indices)
    invalid = indices == blank
    indices = torch.where(invalid, _PAD, indices)
    # Move the kept labels to the front, in order.
    order = torch.argsort(torch.where(invalid, time, steps[None, :].expand(batch, -1)), dim=-1)
    indices = torch.take_along_dim(indices, order, dim=-1)
    return indices[None], -torch.sum(scores, dim=1)[:, None]


def _beam_search(x: Tensor, lengths: Tensor, beam_width: int, top_paths: int, blank: int):
    time, classes = x.shape[1:]
    # Classes are flipped so ascending stable sorts break ties as Keras's reference does.
    x = torch.flip(torch.log_softmax(x, dim=-1), dims=[2])
    blank = classes - blank - 1
    initial = min(classes, beam_width)
    all_paths, all_scores = [], []
    for b, length in enumerate(lengths.tolist()):
        steps = x[b]
        paths = torch.full((2 * beam_width, time), _PAD, dtype=torch.int32, device=x.device)
        best = torch.argsort(steps[0], stable=True)[-initial:]
        paths[:initial, 0] = torch.where(best == blank, _PAD, best.to(torch.int32))
        scores = torch.full((2 * beam_width,), float("-inf"), dtype=x.dtype, device=x.device)
        scores[:initial] = steps[0, best]
        masked = paths[:, 0] == _PAD
        for t in range(1, length):
            paths, scores, masked = _extend(paths, scores, masked, steps[t], blank)
            paths, scores, masked = _prune(paths, scores, masked, classes, beam_width)
        unique, inverse = _unique_rows(paths, 2 * classes * beam_width)
        scores = _merge_scores(inverse, scores, unique.shape[0])
        top = torch.argsort(scores, stable=True)[-top_paths:].flip(0)
        all_paths.append(unique[top])
        all_scores.append(scores[top])
    paths = torch.stack(all_paths)
    paths = torch.where(paths == _PAD, _PAD, classes - paths - 1)
    return paths.permute(1, 0, 2), torch.stack(all_scores)


def _extend(paths: Tensor, scores: Tensor, masked: Tensor, step: Tensor, blank: int) -> tuple:
    """Every beam extended by every class at one time step."""
    classes = step.shape[0]
    paths = paths.repeat_interleave(classes, dim=0)
    scores = scores.repeat_interleave(classes)
    previous_masked = masked.repeat_interleave(classes)
    rows = torch.arange(paths.shape[0], device=paths.device)
    tail_index = (paths == _PAD).to(torch.int32).argmax(dim=1)
    tails = torch.where(tail_index == 0, _PAD, paths[rows, tail_index - 1])
    labels = torch.arange(classes, device=paths.device, dtype=paths.dtype)
    labels[blank] = _PAD
    labels = labels.repeat(paths.shape[0] // classes)
    masked = labels == _PAD
    labels = torch.where(~previous_masked & (tails == labels), _PAD, labels)
    paths[rows, tail_index] = labels
    return paths, scores + step.repeat(paths.shape[0] // classes), masked


def _prune(paths: Tensor, scores: Tensor, masked: Tensor, classes: int, beam_width: int):
    """Merge equal paths (their emit and blank scores separately) and keep the best beams."""
    unique, inverse = _unique_rows(paths, 2 * classes * beam_width)
    emit = _merge_scores(inverse, torch.where(masked, float("-inf"), scores), unique.shape[0])
    blank = _merge_scores(inverse, torch.where(masked, scores, float("-inf")), unique.shape[0])
    top = torch.argsort(torch.logaddexp(emit, blank), stable=True)[-beam_width:]
    flags = torch.arange(2 * beam_width, device=paths.device) >= beam_width
    return unique[top].repeat(2, 1), torch.cat([emit[top], blank[top]]), flags


def _unique_rows(paths: Tensor, size: int) -> tuple[Tensor, Tensor]:
    """The distinct rows of `paths` (padded to `size` rows of `_PAD`) and each row's index
    among them, ordered by a polynomial hash as in Keras (equal hashes are checked)."""
    n, t = paths.shape
    powers = _HASH_BASE ** torch.arange(t, dtype=torch.int64, device=paths.device)
    hashes = ((paths.to(torch.int64) + 1) * powers).sum(dim=1)
    order = torch.argsort(hashes, stable=True)
    ordered = paths[order]
    ordered_hashes = hashes[order]
    duplicate = (ordered_hashes[1:] == ordered_hashes[:-1]) & (ordered[1:] == ordered[:-1]).all(1)
    first = torch.cat([torch.ones(1, dtype=torch.bool, device=paths.device), ~duplicate])
    inverse = torch.empty(n, dtype=torch.int64, device=paths.device)
    inverse[order] = torch.cumsum(first.to(torch.int64), dim=0) - 1
    unique = ordered[first]
    if unique.shape[0] < size:
        filler = torch.full(
            (size - unique.shape[0], t), _PAD, dtype=unique.dtype, device=paths.device
        )
        unique = torch.cat([unique, filler])
    return unique, inverse


def _merge_scores(inverse: Tensor, scores: Tensor, count: int) -> Tensor:
    """Log-sum-exp of the `scores` that share a row index."""
    peak = scores.max()
    total = torch.zeros(count, dtype=scores.dtype, device=scores.device)
    total.scatter_add_(0, inverse, torch.exp(scores - peak))
    return torch.log(total) + peak
