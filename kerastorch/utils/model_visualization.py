"""`plot_model` and `model_to_dot`: a model's graph drawn through pydot and Graphviz, as Keras.

Each layer (or op) is a node labelled with an HTML table: its name and class, and on request
its activation, input/output shapes, output dtype and trainability; edges follow the
functional graph (a Sequential model is a chain, a subclassed model one box). Nested models
are drawn as one box, or as dashed clusters with `expand_nested=True`. pydot is the `plot`
extra (`pip install kerastorch[plot]`); writing an image also needs Graphviz's `dot` program.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    >>> dot = keras.utils.model_to_dot(model, show_shapes=True)
    >>> len(dot.get_nodes()), len(dot.get_edges())  # the default `node` style, and "d"
    (2, 0)
"""

from __future__ import annotations

import itertools
import os
import sys
from typing import Any

from kerastorch.common import registry, tree
from kerastorch.common.atomic import atomic_write
from kerastorch.graph.topology import map_graph


def _pydot() -> Any:
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def _check_graphviz(pydot: Any) -> bool:
    """Whether Graphviz's `dot` program runs (pydot calls it to write images)."""
    try:
        pydot.Dot.create(pydot.Dot())
    except (OSError, pydot.PydotException):
        return False
    return True


def _is_model(layer: Any, kind: str) -> bool:
    return isinstance(layer, registry.builtin_object("keras", kind))


def _activation_name(layer: Any) -> str:
    activation = layer.activation
    return getattr(activation, "name", None) or getattr(activation, "__name__", str(activation))


def _format_shape(shape: Any) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, dict):
        text = ", ".join(f"{k}: {v}" for k, v in shape.items())
    else:
        text = f"{shape}"
    return text.replace("}", "").replace("{", "")


def _symbolic(layer: Any, what: str, attribute: str) -> Any:
    try:
        return tree.map_structure(lambda x: getattr(x, attribute), getattr(layer, what))
    except (ValueError, AttributeError):
        return None


def _cell(text: str, bgcolor: str = "white", color: str | None = None) -> str:
    font = f'<font point-size="14" color="{color}">' if color else '<font point-size="14">'
    return f'<td bgcolor="{bgcolor}">{font}{text}</font></td>'


def make_layer_label(layer: Any, show_layer_names: bool, show_layer_activations: bool,
                     show_dtype: bool, show_shapes: bool, show_trainable: bool) -> str:  # fmt: skip
    """The HTML table that labels a layer's node (Keras's layout)."""
    class_name = type(layer).__name__
    colspan = max(1, int(show_dtype) + int(show_trainable) + (2 if show_shapes else 0))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    table = (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
        f'<tr><td colspan="{colspan}" bgcolor="black">'
        f'<font point-size="16" color="white">{title}</font></td></tr>'
    )
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        table += (
            f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
            f"Activation: <b>{_activation_name(layer)}</b></font></td></tr>"
        )
    cols = []
    if show_shapes:
        if class_name != "InputLayer":
            shape = _format_shape(_symbolic(layer, "input", "shape"))
            cols.append(_cell(f"Input shape: <b>{shape}</b>"))
        cols.append(
            _cell(f"Output shape: <b>{_format_shape(_symbolic(layer, 'output', 'shape'))}</b>")
        )
    if show_dtype:
        cols.append(_cell(f"Output dtype: <b>{_symbolic(layer, 'output', 'dtype') or '?'}</b>"))
    if show_trainable and hasattr(layer, "trainable") and getattr(layer, "weights", None):
        if layer.trainable:
            cols.append(_cell("<b>Trainable</b>", "forestgreen", "white"))
        else:
            cols.append(_cell("<b>Non-trainable</b>", "firebrick", "white"))
    if cols:
        table += f"<tr>{''.join(cols)}</tr>"
    return table + "</table>>"


def _make_node(pydot: Any, layer: Any, label_options: dict[str, bool]) -> Any:
    node = pydot.Node(str(id(layer)), label=make_layer_label(layer, **label_options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    return node


def _add_edge(pydot: Any, dot: Any, source: Any, destination: Any) -> None:
    source_id, destination_id = str(id(source)), str(id(destination))
    if not dot.get_edge(source_id, destination_id):
        edge = pydot.Edge(source_id, destination_id)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


def _check_built(model: Any) -> None:
    if not getattr(model, "built", False):
        raise ValueError(
            "This model has not yet been built. Build the model first by calling `build()` "
            "or by calling the model on a batch of data."
        )


def model_to_dot(
    model: Any,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """A `pydot.Dot` of the model's graph (a `pydot.Cluster` with `subgraph=True`).

    Args:
        model: a built model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's output dtype.
        show_layer_names: show layer names (else class names only).
        rankdir: `"TB"` (vertical) or `"LR"` (horizontal).
        expand_nested: draw nested models as clusters of their layers.
        dpi: image resolution.
        subgraph: return a dashed `pydot.Cluster` (used for nested models).
        show_layer_activations: show the `activation` of layers that have one.
        show_trainable: show whether each layer with weights is trainable.
        splines: how Graphviz draws edges (`"ortho"`, `"curved"`, `"polyline"`, ...).
    """
    _check_built(model)
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    label_options = {
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_dtype": show_dtype,
        "show_shapes": show_shapes,
        "show_trainable": show_trainable,
    }
    sequential = _is_model(model, "Sequential")
    if sequential:
        layers = model.layers
    elif not _is_model(model, "Functional"):
        dot.add_node(_make_node(pydot, model, label_options))  # subclassed: one box
        return dot
    else:
        layers = model.operations

    for layer in layers:
        if expand_nested and (_is_model(layer, "Functional") or _is_model(layer, "Sequential")):
            nested = model_to_dot(
                layer,
                show_shapes,
                show_dtype,
                show_layer_names,
                rankdir,
                expand_nested,
                subgraph=True,
                show_layer_activations=show_layer_activations,
                show_trainable=show_trainable,
            )
            dot.add_subgraph(nested)
        else:
            dot.add_node(_make_node(pydot, layer, label_options))

    if sequential:
        if not expand_nested:
            for first, second in itertools.pairwise(layers):
                _add_edge(pydot, dot, first, second)
            return dot
        layers = model.layers[1:]  # the first layer's edge comes from outside
    _add_graph_edges(pydot, dot, model, layers, expand_nested)
    return dot


def _add_graph_edges(pydot: Any, dot: Any, model: Any, layers: list, expand_nested: bool) -> None:
    own_nodes = None
    if _is_model(model, "Functional"):
        own_nodes = {id(node) for node in map_graph(model.inputs, model.outputs)[0]}
    for layer in layers:
        for node in layer._inbound_nodes:
            if own_nodes is not None and id(node) not in own_nodes:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                history = tensor._keras_history
                if history is None:
                    continue
                source = history.layer._inbound_nodes[history.node_index].layer
                output_index = history.tensor_index
                destination = layer
                if expand_nested:
                    source, destination = _resolve_nested(source, destination, output_index,
                                                          input_index)  # fmt: skip
                _add_edge(pydot, dot, source, destination)


def _resolve_nested(source: Any, destination: Any, output_index: int, input_index: int) -> tuple:
    """The layers inside nested models that an edge between two models really joins."""
    while _is_model(source, "Functional") or _is_model(source, "Sequential"):
        history = source.outputs[output_index]._keras_history
        source, output_index = history.layer, history.tensor_index
    while _is_model(destination, "Functional") or _is_model(destination, "Sequential"):
        if _is_model(destination, "Sequential"):
            destination = destination.layers[0]
        else:
            destination = destination.inputs[input_index]._keras_history.layer
    return source, destination


def plot_model(
    model: Any,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = False,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """Draw the model to `to_file` (PNG, SVG, PDF, ... by its extension; PNG without one).

    Takes `model_to_dot`'s arguments. Returns an `IPython.display.Image` where IPython is
    installed (so a notebook shows the plot), else None. Without pydot or Graphviz it raises
    the ImportError Keras raises, naming what to install (in a notebook it prints it).
    """
    _check_built(model)
    pydot = _pydot()
    missing = None
    if pydot is None:
        missing = "You must install pydot (`pip install pydot`) for `plot_model` to work."
    elif not _check_graphviz(pydot):
        missing = (
            "You must install graphviz (see instructions at "
            "https://graphviz.gitlab.io/download/) for `plot_model` to work."
        )
    if missing:
        if "IPython.core.magics.namespace" in sys.modules:
            print(missing)
            return None
        raise ImportError(missing)
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    dot = model_to_dot(
        model, show_shapes=show_shapes, show_dtype=show_dtype,
        show_layer_names=show_layer_names, rankdir=rankdir, expand_nested=expand_nested,
        dpi=dpi, show_layer_activations=show_layer_activations, show_trainable=show_trainable,
        splines=splines,
    )  # fmt: skip
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    with atomic_write(to_file) as temporary:  # a failed write leaves the old file intact
        dot.write(temporary, format=extension)
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file)


__all__ = ["model_to_dot", "plot_model"]
