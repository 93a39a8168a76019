"""Recurrent layers: RNN, SimpleRNN, LSTM, GRU, their cells, and the RNN wrappers."""

from kerastorch.layers.recurrent.bidirectional import Bidirectional
from kerastorch.layers.recurrent.gru import GRU, GRUCell
from kerastorch.layers.recurrent.lstm import LSTM, LSTMCell
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from kerastorch.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from kerastorch.layers.recurrent.time_distributed import TimeDistributed

__all__ = [
    "Bidirectional",
    "GRU",
    "GRUCell",
    "LSTM",
    "LSTMCell",
    "RNN",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
]
