"""Every layer, re-exported under Keras's names and aliases."""

from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.input_layer import Input, InputLayer
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

__all__ = ["Dense", "Input", "InputLayer", "InputSpec", "Layer"]
