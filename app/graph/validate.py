"""Structural validation of a graph against the layer catalog.

Every problem is attached to the node that caused it, with a hint that says
what to do. Size limits are the exception: a graph over them is rejected
outright (``GraphTooLarge``) before anything else looks at it.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from app.errors import Invalid
from app.graph.catalog import Catalog, LayerSpec, check_param
from app.graph.spec import GraphSpec
from app.graph.topology import default_outputs, find_cycles, is_chain, ordered_inputs, topological_order

# Layers never offered (DESIGN.md security rules): say why instead of "unknown".
EXCLUDED_TYPES = {
    "Lambda": "it runs arbitrary Python code",
    "TFSMLayer": "it loads a SavedModel from a file path",
    "JaxLayer": "it wraps arbitrary JAX code",
    "FlaxLayer": "it wraps arbitrary Flax code",
    "TorchModuleWrapper": "it wraps arbitrary PyTorch code",
}


@dataclass(frozen=True)
class GraphLimits:
    max_nodes: int = 1_000
    max_edges: int = 4_000
    max_params: int = 100_000_000
    max_dim: int = 10_000_000
    max_input_elements: int = 50_000_000
    max_activation_elements: int = 20_000_000


@dataclass
class GraphIssue:
    node: str | None
    message: str
    hint: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Structure:
    """What validation learned about a graph, for inference to reuse."""

    errors: list[GraphIssue] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # topological; broken nodes included
    inputs_of: dict[str, list[str]] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    kind: str = "functional"
    broken: set[str] = field(default_factory=set)  # nodes that cannot be inferred


class GraphTooLarge(Invalid):
    """A graph beyond the configured bounds (422, names the field)."""


def check_size(graph: GraphSpec, limits: GraphLimits) -> None:
    if len(graph.nodes) > limits.max_nodes:
        raise GraphTooLarge(
            f"A graph may have at most {limits.max_nodes:,} nodes (NC_MAX_NODES). "
            f"Received: {len(graph.nodes):,} nodes", field="nodes")
    if len(graph.edges) > limits.max_edges:
        raise GraphTooLarge(
            f"A graph may have at most {limits.max_edges:,} edges (NC_MAX_EDGES). "
            f"Received: {len(graph.edges):,} edges", field="edges")


def validate_graph(graph: GraphSpec, catalog: Catalog, limits: GraphLimits) -> Structure:
    check_size(graph, limits)
    result = Structure()
    errors = result.errors
    seen: set[str] = set()
    for node in graph.nodes:
        if node.id in seen:
            errors.append(GraphIssue(node.id, f"Node id '{node.id}' is used more than once.",
                                     "Give every node its own id."))
            result.broken.add(node.id)
        seen.add(node.id)
    nodes = {node.id: node for node in graph.nodes}

    for node in graph.nodes:
        spec = catalog.get(node.type)
        if spec is None:
            errors.append(_unknown_type(node.id, node.type, catalog))
            result.broken.add(node.id)
            continue
        owner = _check_shares(node, nodes, catalog, errors)
        if owner is None:
            result.broken.add(node.id)
            continue
        if owner is not node:
            continue  # a sharing node uses its owner's (checked) params
        for issue in _check_params(node.id, node.params, spec, limits):
            errors.append(issue)
            result.broken.add(node.id)

    # A sharing node is built from its owner's params: if those are bad, so is it
    # (a second pass: the owner may come later in the node list).
    for node in graph.nodes:
        if node.shares and node.shares in result.broken:
            result.broken.add(node.id)

    _check_edges(graph, nodes, errors, result.broken)
    result.inputs_of = ordered_inputs(graph)
    for node in graph.nodes:
        spec = catalog.get(node.type)
        if spec is not None:
            issue = _check_arity(node.id, spec, len(result.inputs_of[node.id]))
            if issue:
                errors.append(issue)
                result.broken.add(node.id)

    if graph.nodes and not any(node.type == "Input" for node in graph.nodes):
        errors.append(GraphIssue(None, "The graph has no Input node.",
                                 "Add an Input layer and set its shape to one sample's shape."))
    if not graph.nodes:
        errors.append(GraphIssue(None, "The graph is empty.", "Drag an Input layer onto the canvas."))

    for cycle in find_cycles(graph):
        names = " -> ".join(cycle + [cycle[0]])
        for node_id in cycle:
            errors.append(GraphIssue(node_id, f"Cycle: {names}.",
                                     "Remove one of these connections: a model must flow one way."))
            result.broken.add(node_id)

    order = topological_order(graph)
    result.order = order if order is not None else [n.id for n in graph.nodes]
    result.outputs = _check_outputs(graph, nodes, errors)
    result.kind = "sequential" if is_chain(graph) else "functional"
    return result


def _unknown_type(node_id: str, layer_type: str, catalog: Catalog) -> GraphIssue:
    if layer_type in EXCLUDED_TYPES:
        return GraphIssue(node_id, f"{layer_type} is not offered: {EXCLUDED_TYPES[layer_type]}.",
                          "Build the same computation from catalog layers.")
    names = [spec.type for spec in catalog]
    close = difflib.get_close_matches(layer_type, names, n=1)
    hint = f"Did you mean {close[0]}?" if close else "Pick a layer from the palette."
    return GraphIssue(node_id, f"Unknown layer type '{layer_type[:64]}'.", hint)


def _check_shares(node, nodes, catalog: Catalog, errors: list[GraphIssue]):
    """Return the node whose layer ``node`` uses (itself when not shared)."""
    if node.shares is None:
        return node
    owner = nodes.get(node.shares)
    if owner is None:
        errors.append(GraphIssue(node.id, f"'shares' names '{node.shares}', which is not a node.",
                                 "Point 'shares' at an existing node of the same type."))
        return None
    if owner.id == node.id or owner.shares is not None:
        errors.append(GraphIssue(node.id, f"'shares' must name a node that owns its layer. "
                                          f"Received: shares={node.shares!r}",
                                 "Point every sharing node at the original node."))
        return None
    if owner.type != node.type:
        errors.append(GraphIssue(node.id, f"'{node.id}' is a {node.type} but shares the layer of "
                                          f"'{owner.id}', a {owner.type}.",
                                 f"Make '{node.id}' a {owner.type}, or stop sharing."))
        return None
    if node.params and node.params != owner.params:
        errors.append(GraphIssue(node.id, f"A shared layer takes its parameters from '{owner.id}'.",
                                 f"Clear this node's params or make them equal to '{owner.id}'s."))
        return None
    return owner


def _check_params(node_id: str, params: dict, spec: LayerSpec, limits: GraphLimits) -> list[GraphIssue]:
    issues = []
    known = {p.name for p in spec.params}
    for name, value in params.items():
        pspec = spec.param(name)
        if pspec is None:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else (
                f"{spec.type} takes: {', '.join(sorted(known)) or 'no parameters'}.")
            issues.append(GraphIssue(node_id, f"{spec.type} has no parameter '{name[:64]}'.", hint))
            continue
        problem = check_param(pspec, value, max_dim=limits.max_dim)
        if problem:
            issues.append(GraphIssue(node_id, problem, _param_hint(pspec)))
    for pspec in spec.params:
        if pspec.required and pspec.name not in params:
            issues.append(GraphIssue(node_id, f"{spec.type} needs '{pspec.name}'.",
                                     f"Set '{pspec.name}' in the inspector."))
    return issues


def _param_hint(pspec) -> str:
    if pspec.choices:
        return "Choose one of the listed values."
    if pspec.min is not None or pspec.max is not None:
        return "Enter a value within the allowed range."
    return f"Enter a valid value for '{pspec.name}'."


def _check_edges(graph: GraphSpec, nodes: dict, errors: list[GraphIssue], broken: set[str]) -> None:
    seen_ports: set[tuple[str, int]] = set()
    for edge in graph.edges:
        missing = [end for end in (edge.source, edge.target) if end not in nodes]
        if missing:
            attached = edge.target if edge.target in nodes else (
                edge.source if edge.source in nodes else None)
            errors.append(GraphIssue(attached, f"Edge {edge.source} -> {edge.target} points at "
                                               f"{', '.join(repr(m) for m in missing)}, which is not a node.",
                                     "Delete the dangling connection."))
            if attached:
                broken.add(attached)
        if edge.port is not None:
            key = (edge.target, edge.port)
            if key in seen_ports:
                errors.append(GraphIssue(edge.target, f"Two connections use input port {edge.port}.",
                                         "Give each connection into this layer its own port."))
                broken.add(edge.target)
            seen_ports.add(key)


def _check_arity(node_id: str, spec: LayerSpec, count: int) -> GraphIssue | None:
    low, high = spec.min_inputs, spec.max_inputs
    if low <= count and (high is None or count <= high):
        return None
    if high == 0:
        return GraphIssue(node_id, f"{spec.type} takes no inputs but has {count}.",
                          "Remove the connections into this Input; it starts the model.")
    want = f"exactly {low}" if low == high else (
        f"at least {low}" if high is None else f"{low} to {high}")
    hint = "Connect a layer's output to this layer." if count < low else (
        "Merge the branches first (Add or Concatenate), then connect one." if high == 1
        else "Remove extra connections.")
    return GraphIssue(node_id, f"{spec.type} takes {want} input{'s' if high != 1 else ''}; it has {count}.", hint)


def _check_outputs(graph: GraphSpec, nodes: dict, errors: list[GraphIssue]) -> list[str]:
    if graph.outputs is None:
        return default_outputs(graph)
    outputs = []
    for name in graph.outputs:
        if name in nodes:
            outputs.append(name)
        else:
            errors.append(GraphIssue(None, f"Output '{name[:64]}' is not a node.",
                                     "List existing node ids in 'outputs', or leave it out."))
    if graph.nodes and not graph.outputs:
        errors.append(GraphIssue(None, "'outputs' is empty.", "Name at least one output node."))
    return outputs
