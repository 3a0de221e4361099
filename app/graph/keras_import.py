"""Import a Keras model config (``model.to_json()`` or a ``.keras`` file's
``config.json``) into the graph contract.

This is a parser, not a deserialiser: it never hands the config to Keras.
Only catalog layer types and catalog parameters survive; everything else is
reported, so a hostile config (Lambda, custom objects) cannot run code.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from app.errors import Invalid
from app.graph.catalog import Catalog, check_param
from app.graph.spec import GraphSpec

MAX_CONFIG_BYTES = 20_000_000
# Class names Keras writes into configs that the catalog offers under another name.
CLASS_ALIASES = {"GroupedQueryAttention": "GroupQueryAttention"}


def import_keras_json(text: str | bytes | dict, catalog: Catalog, *, max_dim: int | None = None,
                      max_layers: int = 1_000) -> tuple[GraphSpec, list[str]]:
    """Parse a Keras model config; return the graph and what was dropped.

    Any malformed structure is a 422 naming ``config``, never a crash."""
    try:
        return _import(text, catalog, max_dim=max_dim, max_layers=max_layers)
    except Invalid:
        raise
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError) as exc:
        raise Invalid(f"The model config is malformed ({type(exc).__name__}: {str(exc)[:120]}).",
                      field="config") from None


def _import(text: str | bytes | dict, catalog: Catalog, *, max_dim: int | None,
            max_layers: int) -> tuple[GraphSpec, list[str]]:
    config = text if isinstance(text, dict) else _loads(text)
    if not isinstance(config, dict) or "class_name" not in config:
        raise Invalid("Not a Keras model config: expected an object with 'class_name'.", field="config")
    kind = config["class_name"]
    body = config.get("config")
    if not isinstance(body, dict) or not isinstance(body.get("layers"), list):
        raise Invalid("The model config has no 'config.layers' list.", field="config.layers")
    if len(body["layers"]) > max_layers:
        raise Invalid(f"A model may have at most {max_layers:,} layers (NC_MAX_NODES). "
                      f"Received: {len(body['layers']):,} layers", field="config.layers")
    importer = _Importer(catalog, max_dim)
    if kind == "Sequential":
        graph = importer.sequential(body)
    elif kind in ("Functional", "Model"):
        graph = importer.functional(body)
    else:
        raise Invalid(f"Only Sequential and Functional models can be imported. Received: class_name={kind!r}",
                      field="config.class_name")
    graph["name"] = str(body.get("name") or "imported")[:200]
    try:
        return GraphSpec.model_validate(graph), importer.warnings
    except ValueError as exc:
        raise Invalid(f"The imported model does not fit the graph contract: {exc}", field="config") from exc


def import_keras_file(data: bytes, catalog: Catalog, *, max_dim: int | None = None,
                      max_layers: int = 1_000) -> tuple[GraphSpec, list[str]]:
    """Read ``config.json`` out of a ``.keras`` zip; weights are not loaded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > MAX_CONFIG_BYTES:
                raise Invalid("config.json inside the .keras file is too large.", field="file")
            raw = archive.read(info)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise Invalid("Not a .keras file: expected a zip archive holding config.json.", field="file") from exc
    return import_keras_json(raw, catalog, max_dim=max_dim, max_layers=max_layers)


def _loads(text: str | bytes) -> Any:
    if len(text) > MAX_CONFIG_BYTES:
        raise Invalid("The model config is too large.", field="config")
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(f"The model config is not valid JSON: {exc}", field="config") from exc


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class _Importer:
    def __init__(self, catalog: Catalog, max_dim: int | None):
        self.catalog = catalog
        self.max_dim = max_dim
        self.warnings: list[str] = []
        self.ids: dict[str, str] = {}
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def node_id(self, layer_name: str) -> str:
        if layer_name not in self.ids:
            base = re.sub(r"[^A-Za-z0-9_.:\-]", "_", str(layer_name))[:56] or "layer"
            candidate = base
            while candidate in self._used:  # a counter per base keeps this linear
                self._next[base] = self._next.get(base, 0) + 1
                candidate = f"{base}_{self._next[base]}"
            self._used.add(candidate)
            self.ids[layer_name] = candidate
        return self.ids[layer_name]

    def node(self, layer: dict) -> dict:
        if not isinstance(layer, dict):
            raise Invalid("Each layer in the config must be an object.", field="config.layers")
        class_name = layer.get("class_name")
        cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = str(layer.get("name") or cfg.get("name") or class_name)
        node_id = self.node_id(name)
        if class_name == "InputLayer":
            shape = cfg.get("batch_shape") or cfg.get("batch_input_shape") or [None] + list(cfg.get("shape") or [])
            params: dict[str, Any] = {"shape": list(shape[1:])}
            if shape and shape[0] is not None:
                params["batch_size"] = shape[0]
            return {"id": node_id, "type": "Input", "params": params}
        spec = self.catalog.get(CLASS_ALIASES.get(str(class_name), str(class_name)))
        if spec is None:
            raise Invalid(f"Layer '{name}' is a {str(class_name)[:64]}, which NeuralCanvas does not offer.",
                          field="config.layers", node=node_id)
        params = {}
        for key, value in cfg.items():
            pspec = spec.param(key)
            if pspec is None:
                continue
            value = self.plain(value)
            if value == pspec.default:
                continue
            problem = check_param(pspec, value, max_dim=self.max_dim)
            if problem and isinstance(value, str) and pspec.choices and value.replace("_", "") in pspec.choices:
                value, problem = value.replace("_", ""), None  # L1L2 -> "l1l2"
            if problem:
                self.warnings.append(f"{name}: dropped {key} ({problem})")
                continue
            params[key] = value
        return {"id": node_id, "type": spec.type, "params": params}

    def plain(self, value: Any) -> Any:
        """Serialized Keras objects ({'class_name': 'GlorotUniform', ...}) -> catalog names."""
        if isinstance(value, dict) and "class_name" in value:
            return _snake(str(value["class_name"]))
        if isinstance(value, tuple):
            return list(value)
        return value

    def sequential(self, body: dict) -> dict:
        layers = body["layers"]
        nodes = [self.node(layer) for layer in layers]
        if not nodes or nodes[0]["type"] != "Input":
            build = body.get("build_input_shape")
            if not build:
                raise Invalid("The Sequential model has no input shape; build it before exporting.",
                              field="config.build_input_shape")
            nodes.insert(0, {"id": self.node_id("input"), "type": "Input", "params": {"shape": list(build[1:])}})
        return {"sequential": nodes}

    def functional(self, body: dict) -> dict:
        nodes, edges = [], []
        for layer in body["layers"]:
            base = self.node(layer)
            calls = layer.get("inbound_nodes") or []
            if base["type"] == "Input":
                nodes.append(base)
                continue
            for call_index, call in enumerate(calls):
                node = dict(base)
                if call_index:
                    node = {"id": f"{base['id']}__{call_index}", "type": base["type"], "shares": base["id"]}
                    self.ids[f"{layer.get('name')}#{call_index}"] = node["id"]
                    self._used.add(node["id"])
                nodes.append(node)
                for port, source in enumerate(self.sources(call, node["id"])):
                    edges.append({"source": source, "target": node["id"], "port": port})
        refs = body.get("output_layers") or []
        if refs and isinstance(refs[0], str):
            refs = [refs]  # Keras writes a single output as one bare reference
        outputs = [self.tensor_ref(ref) for ref in refs]
        return {"nodes": nodes, "edges": edges, "outputs": outputs}

    def sources(self, call: Any, node_id: str) -> list[str]:
        if not isinstance(call, dict):
            raise Invalid("Unsupported inbound_nodes format (Keras 2 configs are not supported).",
                          field="config.layers", node=node_id)
        found: list[str] = []

        def walk(item: Any) -> None:
            if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
                history = item.get("config", {}).get("keras_history")
                found.append(self.tensor_ref(history, node_id))
            elif isinstance(item, (list, tuple)):
                for sub in item:
                    walk(sub)
            elif isinstance(item, dict):
                for sub in item.values():
                    walk(sub)

        walk(call.get("args", []))
        kwargs = call.get("kwargs") or {}
        for name in ("query", "value", "key"):  # attention inputs passed by keyword, in port order
            if name in kwargs:
                walk(kwargs[name])
        return found

    def tensor_ref(self, history: Any, node_id: str | None = None) -> str:
        if not isinstance(history, (list, tuple)) or len(history) < 3:
            raise Invalid("A tensor reference in the config is malformed.", field="config.layers", node=node_id)
        layer_name, call_index, tensor_index = history[0], history[1], history[2]
        if tensor_index:
            raise Invalid(f"'{layer_name}' feeds a second output of a layer; only first outputs are supported.",
                          field="config.layers", node=node_id)
        if call_index:
            return self.ids.get(f"{layer_name}#{call_index}", f"{self.node_id(layer_name)}__{call_index}")
        return self.node_id(str(layer_name))
