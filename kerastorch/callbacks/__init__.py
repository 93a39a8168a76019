"""Callbacks: hooks into `fit`, `evaluate` and `predict`."""

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.callback_list import CallbackList
from kerastorch.callbacks.history import History
from kerastorch.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
