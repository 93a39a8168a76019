"""Callbacks: hooks into `fit`, `evaluate` and `predict`."""

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.callback_list import CallbackList
from kerastorch.callbacks.history import History

__all__ = ["Callback", "CallbackList", "History"]
