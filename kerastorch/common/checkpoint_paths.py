"""tf.keras 2.x weight checkpoint paths: `cp.ckpt`, `cp-{epoch:04d}.ckpt`, `my_checkpoint`.

tf.keras wrote TensorFlow checkpoints to such paths (`save_weights`, `ModelCheckpoint(...,
save_weights_only=True)`); kerastorch writes Keras's weights file (the `.weights.h5` layout)
to exactly that path, so the tutorials' `load_weights(path)` finds it.

Example:
    >>> [is_checkpoint_path(p) for p in ("t/cp.ckpt", "t/my_checkpoint", "w.h5", "w.txt")]
    [True, True, False, False]
"""

from __future__ import annotations

import os


def is_checkpoint_path(path: str) -> bool:
    """Whether `path` is a tf.keras weights-checkpoint path: `.ckpt` or no extension."""
    name = os.path.basename(os.fspath(path)).lstrip(".")
    return name.endswith(".ckpt") or (bool(name) and os.path.splitext(name)[1] == "")


__all__ = ["is_checkpoint_path"]
