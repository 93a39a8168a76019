"""Regularization layers: `Dropout`."""

from kerastorch.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
