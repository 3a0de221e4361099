"""The graph JSON contract (see DESIGN.md) as strict pydantic models.

Unknown fields and wrong types are rejected by pydantic, so the API answers 422
naming the field. The ``sequential`` shorthand is normalised to nodes and edges
before validation, so every other module sees one shape only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

NODE_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,64}$"


class NodeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=NODE_ID_PATTERN, description="Unique node id.")
    type: str = Field(min_length=1, max_length=64, description="Keras layer class name.")
    params: dict[str, Any] = Field(default_factory=dict, description="Constructor arguments.")
    shares: str | None = Field(None, description="Node whose layer (and weights) this reuses.")
    ui: dict[str, Any] | None = Field(None, description="Canvas data; the model never reads it.")


class EdgeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=64)
    target: str = Field(min_length=1, max_length=64)
    port: int | None = Field(None, ge=0, le=64, description="Input slot of the target.")


class SequentialLayer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, pattern=NODE_ID_PATTERN)
    type: str = Field(min_length=1, max_length=64)
    params: dict[str, Any] = Field(default_factory=dict)
    ui: dict[str, Any] | None = None


class GraphSpec(BaseModel):
    """A model graph. Accepts ``{"sequential": [...]}`` as shorthand."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "seed regression",
                    "nodes": [
                        {"id": "x", "type": "Input", "params": {"shape": [3]}},
                        {"id": "h1", "type": "Dense", "params": {"units": 128, "activation": "relu"}},
                        {"id": "h2", "type": "Dense", "params": {"units": 32, "activation": "relu"}},
                        {"id": "y", "type": "Dense", "params": {"units": 1}},
                    ],
                    "edges": [
                        {"source": "x", "target": "h1"},
                        {"source": "h1", "target": "h2"},
                        {"source": "h2", "target": "y"},
                    ],
                    "outputs": ["y"],
                }
            ]
        },
    )

    name: str = Field("", max_length=200)
    nodes: list[NodeSpec] = Field(default_factory=list)
    edges: list[EdgeSpec] = Field(default_factory=list)
    outputs: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _expand_sequential(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sequential" in data:
            return expand_sequential(data)
        return data

    def node(self, node_id: str) -> NodeSpec:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GraphSpec":
        return cls.model_validate(data)


def expand_sequential(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``{"sequential": [...]}`` into nodes chained by edges."""
    rest = {k: v for k, v in data.items() if k != "sequential"}
    for key in ("nodes", "edges"):
        if rest.get(key):
            raise ValueError(f"give either 'sequential' or '{key}', not both")
    layers = data["sequential"]
    if not isinstance(layers, list):
        raise ValueError("'sequential' must be a list of layers")
    parsed = [SequentialLayer.model_validate(layer) for layer in layers]
    nodes, edges, used = [], [], set()
    for index, layer in enumerate(parsed):
        node_id = layer.id or _fresh_id(layer.type, index, used)
        used.add(node_id)
        node = {"id": node_id, "type": layer.type, "params": layer.params}
        if layer.ui is not None:
            node["ui"] = layer.ui
        if nodes:
            edges.append({"source": nodes[-1]["id"], "target": node_id})
        nodes.append(node)
    rest["nodes"], rest["edges"] = nodes, edges
    return rest


def _fresh_id(layer_type: str, index: int, used: set[str]) -> str:
    base = f"{layer_type.lower()[:40]}_{index}"
    candidate, n = base, 1
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
