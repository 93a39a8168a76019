"""The error for a `tf.` name that the TensorFlow stand-in does not provide.

Example:
    >>> str(missing("tf.nn", "conv2d"))[:48]
    "tf.nn.conv2d is not provided by kerastorch's Ten"
"""

from __future__ import annotations


def missing(namespace: str, name: str) -> AttributeError:
    """An AttributeError naming `namespace.name` and what to use instead."""
    return AttributeError(
        f"{namespace}.{name} is not provided by kerastorch's TensorFlow stand-in "
        "(`kerastorch run`), which covers what tf.keras tutorials use (see the README section "
        "'Running tf.keras tutorials unchanged'). Use the Keras API (`tf.keras...`), "
        "`keras.ops` (`from kerastorch import ops`) or torch directly instead."
    )


__all__ = ["missing"]
