"""plot_model / model_to_dot: the same nodes, labels and edges as Keras's model_to_dot."""

import os
import warnings

import numpy as np
import pytest

import kerastorch
from tests.oracle import keras_or_skip

pydot = pytest.importorskip("pydot")


def _graph(dot):
    """Node labels and edges as (source label, destination label), ids resolved."""
    labels = {n.get_name(): n.get_label() for n in dot.get_nodes() if n.get_name() not in ("node",)}
    for sub in dot.get_subgraphs():
        labels.update({n.get_name(): n.get_label() for n in sub.get_nodes()})
    edges = sorted((labels[e.get_source()], labels[e.get_destination()]) for e in dot.get_edges())
    return sorted(labels.values()), edges


def _sequential(k):
    return k.Sequential(
        [
            k.Input((4,)),
            k.layers.Dense(3, activation="relu", name="d1"),
            k.layers.Dense(2, name="d2"),
        ],
        name="seq",
    )


def _multi_io(k):
    a = k.Input((4,), name="a")
    b = k.Input((2,), name="b")
    shared = k.layers.Dense(3, name="shared")
    x = k.layers.Concatenate(name="cat")([shared(a), k.layers.Dense(3, name="pb")(b)])
    y = shared(k.layers.Dense(4, name="back")(x))
    return k.Model([a, b], [k.layers.Dense(1, name="o1")(x), y], name="multi")


def _nested(k):
    inner = k.Sequential([k.Input((4,)), k.layers.Dense(4, name="inner_d")], name="inner")
    x = k.Input((4,), name="x")
    return k.Model(x, k.layers.Dense(1, name="head")(inner(x)), name="outer")


@pytest.mark.parity
@pytest.mark.parametrize("build", [_sequential, _multi_io, _nested])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"show_shapes": True, "show_dtype": True, "show_layer_activations": True},
        {"show_trainable": True, "show_layer_names": False},
        {"expand_nested": True, "show_shapes": True},
    ],
)
def test_model_to_dot_matches_keras(build, options):
    keras = keras_or_skip()
    ours = _graph(kerastorch.utils.model_to_dot(build(kerastorch), **options))
    theirs = _graph(keras.utils.model_to_dot(build(keras), **options))
    assert ours == theirs


def test_model_to_dot_subclassed_model_is_one_box():
    class Net(kerastorch.Model):
        def __init__(self):
            super().__init__(name="net")
            self.d = kerastorch.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    net = Net()
    net(np.zeros((1, 3), "float32"))
    labels, edges = _graph(kerastorch.utils.model_to_dot(net))
    assert len(labels) == 1
    assert "net" in labels[0]
    assert edges == []


def test_model_to_dot_graph_attributes():
    dot = kerastorch.utils.model_to_dot(_sequential(kerastorch), rankdir="LR", dpi=96)
    assert dot.get("rankdir") == "LR"
    assert dot.get("dpi") == 96


def test_model_to_dot_rejects_unbuilt_model_and_unknown_arguments():
    with pytest.raises(ValueError, match="not yet been built"):
        kerastorch.utils.model_to_dot(kerastorch.Sequential([kerastorch.layers.Dense(2)]))
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        kerastorch.utils.model_to_dot(_sequential(kerastorch), colour=True)
    with pytest.raises(ValueError, match="layer_range"):
        kerastorch.utils.model_to_dot(_sequential(kerastorch), layer_range=["a", "b"])


def test_plot_model_without_graphviz_names_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pydot.Dot, "create", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    with pytest.raises(ImportError, match="graphviz"):
        kerastorch.utils.plot_model(_sequential(kerastorch), to_file=str(tmp_path / "m.png"))


def test_plot_model_writes_the_format_of_the_extension(tmp_path, monkeypatch):
    written = {}

    def write(self, path, format="raw", **_):
        written[format] = path
        with open(path, "w") as f:
            f.write(self.to_string())
        return True

    monkeypatch.setattr(pydot.Dot, "create", lambda *a, **k: b"")
    monkeypatch.setattr(pydot.Dot, "write", write)
    target = tmp_path / "model.svg"
    target.write_text("old")
    kerastorch.utils.plot_model(_multi_io(kerastorch), to_file=str(target), show_shapes=True)
    assert "svg" in written
    assert "digraph" in target.read_text()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    kerastorch.utils.plot_model(_sequential(kerastorch), to_file=str(tmp_path / "noext"))
    assert "png" in written


def test_plot_model_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    def fail(self, path, format="raw", **_):
        with open(path, "w") as f:
            f.write("half")
        raise OSError("disk full")

    monkeypatch.setattr(pydot.Dot, "create", lambda *a, **k: b"")
    monkeypatch.setattr(pydot.Dot, "write", fail)
    target = tmp_path / "model.png"
    target.write_text("old")
    with pytest.raises(OSError, match="disk full"):
        kerastorch.utils.plot_model(_sequential(kerastorch), to_file=str(target))
    assert target.read_text() == "old"


def _quantized(k):
    model = _sequential(k)
    model.layers[0].enable_lora(2)
    with warnings.catch_warnings():  # the InputLayer cannot be quantized (both warn)
        warnings.simplefilter("ignore")
        model.quantize("int8", filters="d2")
    return model


@pytest.mark.parity
def test_model_to_dot_of_quantized_and_lora_layers_matches_keras():
    keras = keras_or_skip()
    options = {"show_shapes": True, "show_dtype": True, "show_trainable": True}
    ours = _graph(kerastorch.utils.model_to_dot(_quantized(kerastorch), **options))
    theirs = _graph(keras.utils.model_to_dot(_quantized(keras), **options))
    assert ours == theirs
