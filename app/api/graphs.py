"""POST /api/graphs/summary: exact live shapes and parameter counts."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from app.deps import RuntimeDep
from app.errors import Invalid
from app.graph.codegen import graph_to_python
from app.graph.keras_import import import_keras_file, import_keras_json
from app.graph.spec import GraphSpec
from app.graph.validate import check_size

router = APIRouter(prefix="/api/graphs", tags=["graphs"])

SUMMARY_EXAMPLE = {
    "valid": True,
    "kind": "sequential",
    "nodes": {"h1": {"output_shapes": [[None, 128]], "params": 512, "trainable": 512,
                     "non_trainable": 0, "weight_bytes": 2048, "error": None, "hint": None,
                     "warning": None, "shared_with": None}},
    "order": ["x", "h1", "h2", "y"],
    "outputs": ["y"],
    "total_params": 4673, "trainable_params": 4673, "non_trainable_params": 0,
    "weight_bytes": 18692, "errors": [], "warnings": [],
}


@router.post("/summary", summary="Shapes, parameter counts and errors for a graph",
             responses={200: {"content": {"application/json": {"example": SUMMARY_EXAMPLE}}}})
async def summarize_graph(graph: GraphSpec, runtime: RuntimeDep) -> Response:
    """200 for any well-formed graph, valid or not: errors sit on their nodes with
    a hint. 422 only when the body is not a graph (or exceeds the size limits)."""
    return Response(await runtime.summarize_json(graph), media_type="application/json")


@router.post("/import", summary="Import a Keras model (model.to_json() text or a .keras file) as a graph",
             responses={200: {"content": {"application/json": {"example": {
                 "graph": {"name": "imported", "nodes": [], "edges": []}, "warnings": []}}}}})
async def import_graph(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    """Send the JSON config, or the bytes of a ``.keras`` file (its config.json is
    read; weights are not). Parsed here, never by Keras deserialisation: only
    catalog layers and parameters survive; anything else is an error or a warning."""
    await runtime.ready()
    body = await request.body()
    parse = import_keras_file if body[:4] == b"PK\x03\x04" else import_keras_json
    # Parsing a big config is CPU work: keep it off the event loop.
    graph, warnings = await asyncio.to_thread(parse, body, runtime.catalog, max_dim=runtime.limits.max_dim,
                                              max_layers=runtime.limits.max_nodes)
    check_size(graph, runtime.limits)
    return {"graph": graph.to_dict(), "warnings": warnings}


@router.post("/code", summary="Export a graph as runnable Keras Python",
             response_class=PlainTextResponse,
             responses={200: {"content": {"text/x-python": {"example": "import keras\n..."}}}})
async def export_code(graph: GraphSpec, runtime: RuntimeDep) -> PlainTextResponse:
    """Refuses graphs with errors (422 naming the first node at fault), so the
    exported script always runs."""
    summary = await runtime.summarize(graph)
    if not summary["valid"]:
        first = summary["errors"][0]
        raise Invalid(f"Fix the graph before exporting: {first['message']}", node=first["node"], field="graph")
    styles = {spec.type: spec.call for spec in runtime.catalog}
    source = graph_to_python(graph, call_styles=styles)
    return PlainTextResponse(source, media_type="text/x-python",
                             headers={"content-disposition": 'attachment; filename="model.py"'})
