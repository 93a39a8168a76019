"""The two block workloads, built as Keras models (for kerastorch and Keras 3) and as
hand-written torch modules with the same architecture.

*transformer*: token ids (sequence 128) -> Embedding(1000, 64) -> a post-norm Transformer
block (MultiHeadAttention(4 heads of 16) + residual -> LayerNormalization -> Dense(128,
relu) -> Dense(64) + residual -> LayerNormalization) -> GlobalAveragePooling1D ->
Dense(10). *resnet*: 32x32x3 images -> Conv2D(16, 3) + BatchNormalization + ReLU -> two
residual blocks of [Conv2D(16, 3) + BN + ReLU, Conv2D(16, 3) + BN] -> Conv2D(32, 3, strides
2) + BN + ReLU -> GlobalAveragePooling2D -> Dense(10). Both: Adam,
sparse_categorical_crossentropy.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

SEQUENCE, VOCABULARY, WIDTH, HEADS = 128, 1000, 64, 4


def keras_transformer(K: Any) -> Any:
    L = K.layers
    tokens = K.Input((SEQUENCE,), dtype="int32")
    x = L.Embedding(VOCABULARY, WIDTH)(tokens)
    attention = L.MultiHeadAttention(HEADS, WIDTH // HEADS)(x, x)
    x = L.LayerNormalization()(L.Add()([x, attention]))
    hidden = L.Dense(WIDTH)(L.Dense(2 * WIDTH, activation="relu")(x))
    x = L.LayerNormalization()(L.Add()([x, hidden]))
    outputs = L.Dense(10, activation="softmax")(L.GlobalAveragePooling1D()(x))
    return K.Model(tokens, outputs)


def keras_resnet(K: Any) -> Any:
    L = K.layers

    def conv_bn(x: Any, filters: int, strides: int = 1, relu: bool = True) -> Any:
        x = L.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)(x)
        x = L.BatchNormalization()(x)
        return L.Activation("relu")(x) if relu else x

    images = K.Input((32, 32, 3))
    x = conv_bn(images, 16)
    for _ in range(2):
        x = L.Activation("relu")(L.Add()([x, conv_bn(conv_bn(x, 16), 16, relu=False)]))
    x = conv_bn(x, 32, strides=2)
    outputs = L.Dense(10, activation="softmax")(L.GlobalAveragePooling2D()(x))
    return K.Model(images, outputs)


class TorchTransformer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, WIDTH)
        self.attention = nn.MultiheadAttention(WIDTH, HEADS, batch_first=True)
        self.norm1, self.norm2 = nn.LayerNorm(WIDTH, eps=1e-3), nn.LayerNorm(WIDTH, eps=1e-3)
        self.hidden, self.out = nn.Linear(WIDTH, 2 * WIDTH), nn.Linear(2 * WIDTH, WIDTH)
        self.head = nn.Linear(WIDTH, 10)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embedding(tokens)
        x = self.norm1(x + self.attention(x, x, x, need_weights=False)[0])
        x = self.norm2(x + self.out(F.relu(self.hidden(x))))
        return self.head(x.mean(1))


class _ConvBn(nn.Sequential):
    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__(
            nn.Conv2d(cin, cout, 3, stride, padding=1, bias=False),
            nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01),
        )


class TorchResNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = _ConvBn(3, 16)
        self.blocks = nn.ModuleList(nn.ModuleList([_ConvBn(16, 16), _ConvBn(16, 16)]) for _ in "ab")
        self.down = _ConvBn(16, 32, stride=2)
        self.head = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.stem(x))
        for first, second in self.blocks:
            x = F.relu(x + second(F.relu(first(x))))
        return self.head(F.relu(self.down(x)).mean((2, 3)))
