"""The README's numbers are the ones kerastorch prints."""

from pathlib import Path

import kerastorch as keras

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _mlp(inputs: int) -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(inputs,)),
        keras.layers.Dense(256, activation="sigmoid"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])  # fmt: skip


def test_readme_parameter_counts_match_the_models_they_describe():
    assert _mlp(784).count_params() == 235_146  # the MNIST model of the README's example
    assert _mlp(64).count_params() == 50_826  # the quickstart's, on 8x8 digits
    assert "200,960 / 32,896 / 1,290 = 235,146" in README
    assert "16,640 + 32,896 + 1,290 = 50,826" in README
