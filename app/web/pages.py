"""HTML pages, and third-party scripts served from Python packages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app.errors import NotFound

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request):
    """The builder: palette, canvas, inspector, live summary, projects."""
    templates = request.app.state.templates
    settings = request.app.state.settings
    config = {
        "version": request.app.version,
        "maxNodes": settings.max_nodes,
        "maxDim": settings.max_dim,
        "maxEpochs": settings.max_epochs,
        "maxBatchSize": settings.max_batch_size,
        "plotlyUrl": str(request.url_for("plotly_js").path),
    }
    return templates.TemplateResponse(request, "index.html", {"version": request.app.version, "config": config})


@lru_cache(maxsize=1)
def _plotly_path() -> Path | None:
    try:
        import plotly
    except ImportError:  # pragma: no cover - plotly is a dependency
        return None
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


@router.get("/vendor/plotly.min.js", name="plotly_js")
def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly Python package: no CDN, works offline."""
    path = _plotly_path()
    if path is None:
        raise NotFound("plotly.min.js is not installed: pip install plotly")
    return FileResponse(path, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
