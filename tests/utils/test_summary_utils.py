"""`print_summary` / `Model.summary()`: the printed text equals real Keras 3's, character for
character (same names, same console width), for Sequential, functional, nested and
subclassed models and every option."""

import contextlib
import importlib
import types
import warnings

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.common import naming
from kerastorch.utils import summary_utils
from tests.oracle import keras_or_skip

# Layers written in other parts of kerastorch, by module (used here before they are exported).
_LAYER_MODULES = {
    "Add": "kerastorch.layers.merging.add",
    "Concatenate": "kerastorch.layers.merging.concatenate",
    "Conv2D": "kerastorch.layers.conv.conv2d",
    "Dropout": "kerastorch.layers.regularization.dropout",
    "Flatten": "kerastorch.layers.reshaping.flatten",
    "LSTM": "kerastorch.layers.recurrent.lstm",
}


@pytest.fixture(autouse=True)
def _terminal_80_columns(monkeypatch):
    """A fixed console: 80 columns for Keras (shutil and rich read $COLUMNS) and for us."""
    monkeypatch.setenv("COLUMNS", "80")


def _layer(lib, name):
    """`lib.layers.<name>`: Keras's, or ours (from its module while it is not exported)."""
    if hasattr(lib.layers, name):
        return getattr(lib.layers, name)
    return getattr(importlib.import_module(_LAYER_MODULES[name]), name)


def _fresh(keras):
    keras.backend.clear_session(free_memory=False)
    naming.reset_uids()


def _summaries(build, **kwargs):
    """`(keras_text, our_text)`: `build(lib).summary(print_fn=..., **kwargs)` in each library."""
    keras = keras_or_skip()
    texts = []
    for lib in (keras, kerastorch):
        _fresh(keras)
        calls = []
        build(lib).summary(print_fn=calls.append, **kwargs)
        assert len(calls) == 1  # the whole text in one call, as Keras does
        texts.append(calls[0])
    return texts


def _assert_same(build, **kwargs):
    expected, actual = _summaries(build, **kwargs)
    assert actual == expected, f"\nKeras:\n{expected}\nkerastorch:\n{actual}"
    return actual


# -------------------------------------------------------------------------------------------
# Models used by several tests
# -------------------------------------------------------------------------------------------
def _mlp(lib):
    return lib.Sequential(
        [
            lib.Input((784,)),
            lib.layers.Dense(256, activation="relu"),
            lib.layers.Dense(128, activation="relu"),
            lib.layers.Dense(10, activation="softmax"),
        ]
    )


def _two_inputs(lib):
    a = lib.Input((8,), name="first_input_with_a_rather_long_name")
    b = lib.Input((8,), name="b")
    merged = _layer(lib, "Concatenate")()([a, b])
    hidden = lib.layers.Dense(8)(merged)
    total = _layer(lib, "Add")()([hidden, a, b])
    sliced = total[:, :4] + b[:, 2:6]
    return lib.Model(inputs=[a, b], outputs=[sliced, hidden], name="two_inputs")


def _nested(lib):
    inner = lib.Sequential(
        [
            lib.Input((5,)),
            lib.layers.Dense(4, name="inner_1"),
            lib.layers.Dense(3, name="inner_2", trainable=False),
        ],
        name="inner",
    )
    x_in = lib.Input((5,), name="x_in")
    block = lib.Model(x_in, lib.layers.Dense(3, name="block_dense")(x_in) * 2.0, name="block")
    x = lib.Input((5,), name="x")
    y = lib.layers.Dense(2, name="head")(inner(x))
    return lib.Model(x, [y, block(x), block(x)], name="outer")


# -------------------------------------------------------------------------------------------
# Oracle comparisons
# -------------------------------------------------------------------------------------------
@pytest.mark.parity
def test_print_summary_mlp_sequential():
    text = _assert_same(_mlp)
    assert text.startswith('Model: "sequential"\n┏')
    for count in ("200,960", "32,896", "1,290"):
        assert f" {count} │" in text
    assert " Total params: 235,146 (918.54 KB)\n" in text
    assert "InputLayer" not in text
    assert all(len(line) == 76 for line in text.splitlines()[1:-3])  # 80 columns - 4


@pytest.mark.parity
def test_print_summary_flatten_mlp():
    def build(lib):
        return lib.Sequential(
            [
                lib.Input((28, 28)),
                _layer(lib, "Flatten")(),
                lib.layers.Dense(300, activation="relu"),
                lib.layers.Dense(100, activation="relu"),
                lib.layers.Dense(10, activation="softmax"),
            ]
        )

    text = _assert_same(build)
    assert "(None, 784)" in text
    assert " Total params: 266,610 (1.02 MB)\n" in text


@pytest.mark.parity
def test_print_summary_cnn_shapes_and_weightless_layers():
    def build(lib):
        return lib.Sequential(
            [
                lib.Input((28, 28, 1)),
                _layer(lib, "Conv2D")(32, 3, activation="relu"),
                _layer(lib, "Flatten")(),
                _layer(lib, "Dropout")(0.5),
                lib.layers.Dense(10),
            ],
            name="cnn",
        )

    text = _assert_same(build)
    assert "(None, 26, 26, 32)" in text
    _assert_same(build, show_trainable=True)


@pytest.mark.parity
def test_print_summary_functional_sequential_like_lists_input_layer():
    def build(lib):
        x = lib.Input((16,))
        y = lib.layers.Dense(4)(lib.layers.Dense(8)(x))
        return lib.Model(x, y)

    text = _assert_same(build)
    assert "input_layer (InputLayer)" in text
    assert "Connected to" not in text


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{}, {"show_trainable": True}, {"line_length": 100}, {"line_length": 45}]
)
def test_print_summary_connected_to_column(kwargs):
    text = _assert_same(_two_inputs, **kwargs)
    assert "concatenate[0][0]" in text or kwargs
    assert "(GetItem)" in text
    assert "(Add)" in text
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parity
def test_print_summary_long_names_wrap_and_are_cut():
    def build(lib):
        x = lib.Input((4,), name="an_input_whose_name_is_far_too_long_to_fit_in_a_cell")
        y = lib.layers.Dense(3, name="dense layer with spaces in its rather long name")(x)
        z = lib.layers.Dense(2, name="x" * 60)(y)
        return lib.Model(x, [z, y + z[:, :1]], name="long_names")

    text = _assert_same(build)
    assert "…" in text
    _assert_same(build, line_length=60, show_trainable=True)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"expand_nested": True, "show_trainable": True}])
def test_print_summary_nested_models(kwargs):
    text = _assert_same(_nested, **kwargs)
    assert ("   └ inner_1" in text) == bool(kwargs)


@pytest.mark.parity
def test_print_summary_show_trainable_frozen_layer():
    def build(lib):
        model = _mlp(lib)
        model.layers[1].trainable = False
        return model

    text = _assert_same(build, show_trainable=True)
    assert "Trai" in text
    assert "  N  " in text
    assert " Non-trainable params: 32,896 (128.50 KB)\n" in text


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"line_length": 60},
        {"line_length": 50, "positions": [0.3, 0.7, 1.0]},
        {"line_length": 40, "positions": [0.5, 0.75, 1.0], "show_trainable": True},
        {"line_length": 20},
        {"line_length": 120},  # wider than the console: lines are cut at 80 columns
        {"positions": [0.25, 0.5, 0.8]},  # short columns: rich widens them to line_length
    ],
)
def test_print_summary_line_length_and_positions(kwargs):
    text = _assert_same(_mlp, **kwargs)
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parity
def test_print_summary_wide_console_uses_default_line_lengths(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert len(_assert_same(_mlp).splitlines()[1]) == 88
    assert len(_assert_same(_two_inputs).splitlines()[1]) == 108
    assert len(_assert_same(_two_inputs, show_trainable=True).splitlines()[1]) == 120


@pytest.mark.parity
def test_print_summary_subclassed_model_before_and_after_call():
    def build(lib, call=True):
        class Subclassed(lib.Model):
            def __init__(self):
                super().__init__(name="subclassed")
                self.hidden = lib.layers.Dense(8, name="hidden")
                self.out = lib.layers.Dense(2, name="out")
                self.unused = lib.layers.Dense(3, name="unused")

            def call(self, x):
                return self.out(self.hidden(x))

        model = Subclassed()
        if call:
            # Keras warns that the model has no `build()`; kerastorch has nothing to say.
            expected_warning = pytest.warns(UserWarning, match="does not have a `build")
            with expected_warning if lib is not kerastorch else contextlib.nullcontext():
                model(np.ones((4, 5), "float32"))
        return model

    text = _assert_same(build)
    assert "(4, 8)" in text
    assert "0 (unbuilt)" in text
    assert " ? " in text
    text = _assert_same(lambda lib: build(lib, call=False))
    assert text.count("0 (unbuilt)") == 3


@pytest.mark.parity
def test_print_summary_multi_output_layer_and_dtypes():
    def build(lib):
        x = lib.Input((7, 3))
        sequence, state_h, _ = _layer(lib, "LSTM")(5, return_sequences=True, return_state=True)(x)
        y = lib.layers.Dense(3, dtype="float16")(sequence)
        z = lib.layers.Dense(2, dtype="float64")(state_h)
        return lib.Model(x, [y, z])

    text = _assert_same(build)
    assert "[(None, 7, 5)," in text


@pytest.mark.parity
def test_print_summary_layer_range():
    _assert_same(_mlp, layer_range=["dense_1", "dense_2"])
    text = _assert_same(_two_inputs, layer_range=["concat", "get_item$"])
    assert "dense (Dense)" in text
    assert "(Add)" in text
    assert "InputLayer" not in text


@pytest.mark.parity
def test_print_summary_empty_sequential():
    _assert_same(lambda lib: lib.Sequential(name="empty"))


@pytest.mark.parity
def test_print_summary_optimizer_params():
    keras = keras_or_skip()
    _fresh(keras)
    reference = _mlp(keras)
    reference.compile(optimizer="adam", loss="mse")
    reference.optimizer.build(reference.trainable_variables)
    expected = []
    reference.summary(print_fn=expected.append)

    class CompiledSequential(kerastorch.Sequential):
        """A Sequential whose (stub) optimizer holds Keras's optimizer variables."""

        @property
        def compiled(self):
            return True

        @property
        def optimizer(self):
            return types.SimpleNamespace(
                built=True,
                variables=[
                    types.SimpleNamespace(shape=tuple(v.shape), dtype=v.dtype)
                    for v in reference.optimizer.variables
                ],
            )

    naming.reset_uids()
    model = CompiledSequential(
        [kerastorch.Input((784,)), *[kerastorch.layers.Dense(n) for n in (256, 128, 10)]],
        name="sequential",
    )
    actual = []
    model.summary(print_fn=actual.append)
    assert actual == expected
    assert " Optimizer params: 470,294 (1.79 MB)\n" in actual[0]


@pytest.mark.parity
def test_print_summary_default_prints_to_stdout(capsys):
    keras = keras_or_skip()
    outputs = []
    for lib in (keras, kerastorch):
        _fresh(keras)
        _two_inputs(lib).summary(show_trainable=True)
        outputs.append(capsys.readouterr().out)
    assert outputs[1] == outputs[0]
    assert outputs[1].endswith(" Non-trainable params: 0 (0.00 B)\n")


@pytest.mark.parity
def test_print_summary_errors_match_keras():
    keras = keras_or_skip()
    for lib in (keras, kerastorch):
        _fresh(keras)
        model = _mlp(lib)
        with pytest.raises(ValueError, match="layer_range must be a list or tuple of length 2"):
            model.summary(layer_range=["dense"])
        with pytest.raises(ValueError, match="do not match the layer names"):
            model.summary(layer_range=["conv", "dense"])
        with pytest.raises(ValueError, match="Insufficient console width"):
            model.summary(line_length=8)


# -------------------------------------------------------------------------------------------
# Units
# -------------------------------------------------------------------------------------------
def test_readable_memory_size_units():
    assert summary_utils.readable_memory_size(0.0) == "0.00 B"
    assert summary_utils.readable_memory_size(1023.0) == "1023.00 B"
    assert summary_utils.readable_memory_size(940584.0) == "918.54 KB"
    assert summary_utils.readable_memory_size(3 * 1024**3) == "3.00 GB"
    # Past PB, Keras divides once more before printing: 2048 PB reads "2.00 PB".
    assert summary_utils.readable_memory_size(2.0 * 1024**6) == "2.00 PB"


def test_weight_memory_size_uses_dtype_and_counts_each_weight_once():
    a = torch.zeros(10, 4)
    b = torch.zeros(3, dtype=torch.float16)
    c = torch.zeros(5, dtype=torch.bool)
    assert summary_utils.weight_memory_size([a, a, b, c]) == 160 + 6 + 5 / 8
    assert summary_utils.count_params([a, a, b]) == 83


def test_print_summary_positions_too_short_raises():
    model = _mlp(kerastorch)
    with pytest.raises(ValueError, match="positions"):
        model.summary(positions=[0.5, 1.0])


def _adapted(mode):
    """A Sequential whose first Dense has LoRA and whose other layers are quantized to `mode`."""

    def build(lib):
        model = lib.Sequential(
            [
                lib.Input((8,)),
                lib.layers.Dense(16, name="lora_dense"),
                lib.layers.EinsumDense("ab,bc->ac", output_shape=6, bias_axes="c", name="ed"),
                lib.layers.Dense(4, name="head"),
            ]
        )
        model.layers[0].enable_lora(2)
        with warnings.catch_warnings():  # the InputLayer cannot be quantized (both warn)
            warnings.simplefilter("ignore")
            model.quantize(mode, filters=["ed", "head"])
        return model

    return build


def _quantized_embedding(lib):
    model = lib.Sequential([lib.Input((3,), dtype="int32"), lib.layers.Embedding(10, 4)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("int8")
    return model


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["int8", "int4", "float8"])
def test_print_summary_quantized_and_lora_layers(mode):
    text = _assert_same(_adapted(mode), show_trainable=True)
    assert "Non-trainable params" in text


@pytest.mark.parity
def test_print_summary_quantized_embedding():
    _assert_same(_quantized_embedding)
