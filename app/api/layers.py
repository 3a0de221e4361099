"""GET /api/layers: the layer catalog introspected from Keras."""

from fastapi import APIRouter, Response

from app.deps import RuntimeDep

router = APIRouter(prefix="/api", tags=["layers"])


@router.get("/layers", summary="Every layer type the builder offers",
            response_description="`{\"layers\": [{type, category, doc, params: [...], min_inputs, max_inputs, call, input_names, example}]}`")
async def list_layers(runtime: RuntimeDep) -> Response:
    """Catalog introspected from the installed Keras: categories, docs, and each
    constructor parameter's kind, default, choices and bounds."""
    await runtime.ready()
    return Response(content=runtime.catalog_json, media_type="application/json")
