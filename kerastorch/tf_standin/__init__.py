"""The TensorFlow stand-in that `kerastorch run` imports as `tensorflow`: what tf.keras 2.x
tutorials use, backed by torch and kerastorch, and nothing else.

It provides: `tf.keras` (all of kerastorch); dtypes (`tf.float16/32/64`, `tf.bfloat16`,
`tf.int8/16/32/64`, `tf.uint8`, `tf.bool`, `tf.string`); the tensor functions of
`tensor_ops` (`constant`, `convert_to_tensor`, `cast`, `reshape`, `transpose`, `concat`,
`stack`, `expand_dims`, `squeeze`, `matmul`, `reduce_sum/mean/max/min/prod`, `argmax`,
`argmin`, `one_hot`, `square`, `sqrt`, `exp`, `abs`, `clip_by_value`, `where`, `range`,
`zeros`, `ones`, `zeros_like`, `ones_like`, `linspace`, `shape`, `Variable`, `function`,
`print`) and `tf.math` (the same plus `log`); `tf.nn` (activations, the three
cross-entropies with logits, `dropout`, `l2_normalize`, `moments`); `tf.random` (`set_seed`,
`normal`, `uniform`); `tf.config` (`list_physical_devices`, `experimental.set_memory_growth`);
`tf.data` (`Dataset`, `AUTOTUNE`); `GradientTape`; `tf.__version__`. Any other `tf.` name
raises an AttributeError saying so, never a half-working fake.

Example:
    >>> from kerastorch import tf_standin as tf
    >>> tf.__version__.endswith("+kerastorch"), tf.keras.layers.Dense.__module__[:10]
    (True, 'kerastorch')
    >>> tf.reduce_mean(tf.constant([1.0, 3.0])).item()
    2.0
"""

from types import SimpleNamespace
from typing import Any

import torch

import kerastorch as keras
from kerastorch.tf_standin import config, data, nn, random, tensor_ops
from kerastorch.tf_standin.gradient_tape import GradientTape
from kerastorch.tf_standin.missing import missing
from kerastorch.tf_standin.tensor_ops import *  # noqa: F403  (tensor_ops.__all__ is tf's API)

__version__ = "2.16.1+kerastorch"

float16, float32, float64, bfloat16 = torch.float16, torch.float32, torch.float64, torch.bfloat16
int8, int16, int32, int64 = torch.int8, torch.int16, torch.int32, torch.int64
uint8, bool = torch.uint8, torch.bool
string = "string"
DType = torch.dtype

math = SimpleNamespace(
    **{name: getattr(tensor_ops, name) for name in tensor_ops.__all__},
    sigmoid=nn.sigmoid, tanh=nn.tanh, softplus=nn.softplus, l2_normalize=nn.l2_normalize,
)  # fmt: skip


def __getattr__(name: str) -> Any:
    raise missing("tf", name)


__all__ = [
    "DType", "GradientTape", "__version__", "bfloat16", "bool", "config", "data", "float16",
    "float32", "float64", "int16", "int32", "int64", "int8", "keras", "math", "nn", "random",
    "string", "uint8", *tensor_ops.__all__,
]  # fmt: skip
