"""Recurrent layers: RNN, SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D, cells, and the RNN wrappers."""

from kerastorch.layers.recurrent.bidirectional import Bidirectional
from kerastorch.layers.recurrent.conv_lstm1d import ConvLSTM1D
from kerastorch.layers.recurrent.conv_lstm2d import ConvLSTM2D
from kerastorch.layers.recurrent.conv_lstm3d import ConvLSTM3D
from kerastorch.layers.recurrent.gru import GRU, GRUCell
from kerastorch.layers.recurrent.lstm import LSTM, LSTMCell
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from kerastorch.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from kerastorch.layers.recurrent.time_distributed import TimeDistributed

__all__ = [
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
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
