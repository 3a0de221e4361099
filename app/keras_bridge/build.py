"""Build the real ``keras.Model`` of a graph with the functional API.

* Input nodes become ``keras.Input``s, in node-list order (that is the order
  of the model's inputs).
* Every other node calls its layer on its sources' outputs, sources ordered by
  ``port`` then edge order; a node that ``shares`` another node calls the very
  same layer object, so the two share weights.
* Layer names come from node ids (``safe_layer_name``), so a trained model's
  layers read like the canvas.
* Outputs follow validation (``graph.outputs`` or the nodes nothing reads).

Only catalog layer types and catalog parameters reach Keras (validation
checks them first); nothing user-supplied goes through Keras deserialisation.
"""

from __future__ import annotations

import re

import keras

from app.errors import Invalid
from app.graph.catalog import Catalog
from app.graph.spec import GraphSpec
from app.graph.validate import GraphLimits, validate_graph
from app.keras_bridge.hints import clean_message
from app.keras_bridge.layers import call_layer, first_output, make_input, make_layer, safe_layer_name


def build_model(graph: GraphSpec, catalog: Catalog, limits: GraphLimits | None = None) -> keras.Model:
    structure = validate_graph(graph, catalog, limits or GraphLimits())
    if structure.errors:
        issue = structure.errors[0]
        where = f"Node '{issue.node}': " if issue.node else ""
        raise Invalid(f"The graph is not valid. {where}{issue.message} {issue.hint}".strip(), node=issue.node)
    nodes = {node.id: node for node in graph.nodes}
    taken: set[str] = set()
    tensors: dict[str, object] = {}
    layers: dict[str, object] = {}  # owner node id -> layer object
    inputs = []
    for node in graph.nodes:
        if node.type == "Input":
            tensor = make_input(node.params, name=safe_layer_name(node.id, taken))
            tensors[node.id] = tensor
            inputs.append(tensor)
    for node_id in structure.order:
        node = nodes[node_id]
        if node.type == "Input":
            continue
        owner = nodes[node.shares] if node.shares else node
        spec = catalog.get(owner.type)
        try:
            layer = layers.get(owner.id)
            if layer is None:
                layer = layers[owner.id] = make_layer(spec, owner.params, name=safe_layer_name(owner.id, taken))
            sources = [tensors[src] for src in structure.inputs_of[node_id]]
            tensors[node_id] = first_output(call_layer(spec, layer, sources))
        except Exception as exc:  # Keras reports shape mistakes with many exception types
            message = clean_message(str(exc)) or type(exc).__name__
            raise Invalid(f"Node '{node_id}' ({node.type}) cannot be built: {message}", node=node_id) from exc
    outputs = [tensors[name] for name in structure.outputs]
    return keras.Model(inputs=inputs[0] if len(inputs) == 1 else inputs,
                       outputs=outputs[0] if len(outputs) == 1 else outputs,
                       name=_model_name(graph.name))


def _model_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name or "").strip("_")
    return cleaned[:64] or "model"
