"""Activation layers: `ReLU`, `LeakyReLU`, `PReLU`, `ELU`, `Softmax`."""

from kerastorch.layers.activations.elu import ELU
from kerastorch.layers.activations.leaky_relu import LeakyReLU
from kerastorch.layers.activations.prelu import PReLU
from kerastorch.layers.activations.relu import ReLU
from kerastorch.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
