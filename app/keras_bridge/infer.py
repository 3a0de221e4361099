"""Exact shape and parameter inference with Keras, allocating no weights.

Layers are called on symbolic ``KerasTensor``s inside
``StatelessScope(initialize_variables=False)``, so a 10^11-parameter graph
costs milliseconds. Results are memoised per (type, params, input shapes): an
edit re-infers only the nodes whose inputs changed.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from keras.src.backend.common import global_state

from app.graph.catalog import Catalog, LayerSpec
from app.graph.spec import GraphSpec
from app.graph.validate import GraphIssue, GraphLimits, validate_graph
from app.keras_bridge.hints import clean_message, hint_for, warning_for
from app.keras_bridge.layers import call_layer, input_shape, make_layer


@dataclass(frozen=True)
class LayerResult:
    output_shapes: list[list] | None
    trainable: int = 0
    non_trainable: int = 0
    weight_bytes: int = 0
    weight_shapes: tuple = ()
    error: str | None = None
    hint: str | None = None


@dataclass
class NodeSummary:
    output_shapes: list[list] | None = None
    params: int = 0
    trainable: int = 0
    non_trainable: int = 0
    weight_bytes: int = 0
    error: str | None = None
    hint: str | None = None
    warning: str | None = None
    shared_with: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Pass:
    nodes: dict[str, NodeSummary] = field(default_factory=dict)
    results: dict[str, LayerResult] = field(default_factory=dict)
    errors: list[GraphIssue] = field(default_factory=list)
    warnings: list[GraphIssue] = field(default_factory=list)


class Inferencer:
    """Answers the summary contract of DESIGN.md for any well-formed graph."""

    def __init__(self, catalog: Catalog, limits: GraphLimits, cache_size: int = 20_000):
        self.catalog = catalog
        self.limits = limits
        self._cache: OrderedDict[tuple, LayerResult] = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0
        self.cache_misses = 0

    def summarize(self, graph: GraphSpec) -> dict[str, Any]:
        structure = validate_graph(graph, self.catalog, self.limits)
        state = _Pass(errors=list(structure.errors))
        nodes = {node.id: node for node in graph.nodes}
        shapes: dict[str, list | None] = {}
        for node_id in structure.order:
            node = nodes[node_id]
            summary = state.nodes.setdefault(node_id, NodeSummary())
            if node_id in structure.broken:
                shapes[node_id] = None
                continue
            sources = structure.inputs_of[node_id]
            in_shapes = [shapes.get(src) for src in sources]
            if any(shape is None for shape in in_shapes):
                shapes[node_id] = None  # unknown because of an upstream problem: no false error
                continue
            if node.type == "Input":
                result = self._infer_input(node_id, node.params, state)
            else:
                owner = nodes[node.shares] if node.shares else node
                spec = self.catalog.get(owner.type)
                result = self.infer_layer(spec, owner.params, in_shapes)
                warn = warning_for(node.type, in_shapes)
                if warn and result.error is None:
                    summary.warning = warn[0]
                    state.warnings.append(GraphIssue(node_id, warn[0], warn[1]))
            result = self._bound_activation(result)
            state.results[node_id] = result
            summary.output_shapes = result.output_shapes
            if result.error:
                summary.error, summary.hint = result.error, result.hint
                state.errors.append(GraphIssue(node_id, result.error, result.hint or ""))
                shapes[node_id] = None
                continue
            shapes[node_id] = result.output_shapes[0] if result.output_shapes else None
            if node.shares:
                summary.shared_with = node.shares
            else:
                summary.trainable, summary.non_trainable = result.trainable, result.non_trainable
                summary.params = result.trainable + result.non_trainable
                summary.weight_bytes = result.weight_bytes
        self._check_shared(graph, state)
        return self._answer(graph, structure, state)

    def infer_layer(self, spec: LayerSpec, params: dict, in_shapes: list[list]) -> LayerResult:
        key = (spec.type, json.dumps(params, sort_keys=True), json.dumps(in_shapes))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.cache_hits += 1
            return cached
        self.cache_misses += 1
        result = _infer_uncached(spec, params, in_shapes)
        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    def _infer_input(self, node_id: str, params: dict, state: _Pass) -> LayerResult:
        shape = input_shape(params)
        known = [d for d in shape[1:] if d is not None]
        if math.prod(known) > self.limits.max_input_elements:
            message = (f"One sample may hold at most {self.limits.max_input_elements:,} values "
                       f"(NC_MAX_INPUT_ELEMENTS). Received: shape={params.get('shape')}")
            return LayerResult(None, error=message, hint="Use a smaller input shape, e.g. resize images.")
        return LayerResult([shape])

    def _bound_activation(self, result: LayerResult) -> LayerResult:
        """Symbolic shapes cost nothing, but training would allocate them per sample."""
        if result.error or not result.output_shapes:
            return result
        limit = self.limits.max_activation_elements
        for shape in result.output_shapes:
            size = math.prod(d for d in shape[1:] if d is not None)
            if size > limit:
                message = (f"This layer outputs {size:,} values per sample; the limit is {limit:,} "
                           f"(NC_MAX_ACTIVATION_ELEMENTS).")
                return LayerResult(result.output_shapes, error=message,
                                   hint="Use fewer units or repeats, or downsample (pooling, strides) before it.")
        return result

    def _check_shared(self, graph: GraphSpec, state: _Pass) -> None:
        for node in graph.nodes:
            if not node.shares:
                continue
            mine, theirs = state.results.get(node.id), state.results.get(node.shares)
            if not mine or not theirs or mine.error or theirs.error:
                continue
            if mine.weight_shapes != theirs.weight_shapes:
                message = (f"'{node.id}' shares the weights of '{node.shares}', but its input needs weights "
                           f"shaped {list(mine.weight_shapes)} instead of {list(theirs.weight_shapes)}.")
                state.nodes[node.id].error = message
                state.nodes[node.id].hint = "Feed both nodes inputs with the same last dimension."
                state.errors.append(GraphIssue(node.id, message, state.nodes[node.id].hint))

    def _answer(self, graph: GraphSpec, structure, state: _Pass) -> dict[str, Any]:
        trainable = sum(n.trainable for n in state.nodes.values())
        non_trainable = sum(n.non_trainable for n in state.nodes.values())
        total = trainable + non_trainable
        if total > self.limits.max_params:
            biggest = max(state.nodes, key=lambda n: state.nodes[n].params)
            message = (f"The model has {total:,} parameters; the limit is {self.limits.max_params:,} "
                       f"(NC_MAX_PARAMS). '{biggest}' alone has {state.nodes[biggest].params:,}.")
            state.errors.append(GraphIssue(biggest, message, "Use fewer units or filters, or pool before Dense layers."))
            if state.nodes[biggest].error is None:
                state.nodes[biggest].error = message
        for node in graph.nodes:
            state.nodes.setdefault(node.id, NodeSummary())
        for issue in state.errors:
            if issue.node in state.nodes and state.nodes[issue.node].error is None:
                state.nodes[issue.node].error, state.nodes[issue.node].hint = issue.message, issue.hint
        return {
            "valid": not state.errors,
            "kind": structure.kind,
            "nodes": {node.id: state.nodes[node.id].to_dict() for node in graph.nodes},
            "order": structure.order,
            "outputs": structure.outputs,
            "total_params": total,
            "trainable_params": trainable,
            "non_trainable_params": non_trainable,
            "weight_bytes": sum(n.weight_bytes for n in state.nodes.values()),
            "errors": [issue.to_dict() for issue in state.errors],
            "warnings": [issue.to_dict() for issue in state.warnings],
        }


def _infer_uncached(spec: LayerSpec, params: dict, in_shapes: list[list]) -> LayerResult:
    try:
        with keras.StatelessScope(initialize_variables=False):
            layer = make_layer(spec, params, name="__node__")
            tensors = [keras.KerasTensor(tuple(shape)) for shape in in_shapes]
            outputs = call_layer(spec, layer, tensors)
            out_shapes = [list(t.shape) for t in keras.tree.flatten(outputs)]
            trainable = [tuple(w.shape) for w in layer.trainable_weights]
            frozen = [tuple(w.shape) for w in layer.non_trainable_weights]
            weight_bytes = sum(math.prod(w.shape) * np.dtype(w.dtype).itemsize for w in layer.weights)
        return LayerResult(
            output_shapes=out_shapes,
            trainable=sum(math.prod(s) for s in trainable),
            non_trainable=sum(math.prod(s) for s in frozen),
            weight_bytes=int(weight_bytes),
            weight_shapes=tuple(trainable + frozen),
        )
    except Exception as exc:  # Keras reports user mistakes with many exception types
        message = clean_message(str(exc)) or type(exc).__name__
        return LayerResult(None, error=message, hint=hint_for(spec.type, message, in_shapes))
    finally:
        # StatelessScope leaks every variable into a thread-global list (DESIGN.md).
        global_state.set_global_attribute("uninitialized_variables", [])
