"""create_app(settings) -> FastAPI: mounts routers, static files and templates."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import __version__
from app.errors import AppError
from app.keras_bridge.runtime import KerasRuntime
from app.middleware import BodyLimitMiddleware
from app.settings import Settings
from app.store.db import init_db, make_engine, session_factory
from app.training import lifecycle

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

DESCRIPTION = """Build Keras models as graphs, see exact shapes and parameter counts live,
and store projects. Every action of the web page is one of these calls."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        app.state.engine = make_engine(settings.resolved_database_url)
        init_db(app.state.engine)
        app.state.sessions = session_factory(app.state.engine)
        if settings.warm_keras:
            app.state.keras.start()
        await lifecycle.startup(app)
        try:
            yield
        finally:
            await lifecycle.shutdown(app)
            app.state.keras.shutdown()
            app.state.engine.dispose()

    app = FastAPI(title="NeuralCanvas API", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.keras = KerasRuntime(settings)
    app.state.templates = Jinja2Templates(directory=str(ROOT / "templates"))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       upload_bytes=settings.max_upload_bytes)

    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.status_code)

    @app.get("/api/health", tags=["meta"], summary="Liveness and Keras readiness")
    async def health() -> dict:
        ready = app.state.keras.catalog is not None
        return {"status": "ok", "version": __version__, "keras_ready": ready}

    from app.api import compile_options, datasets, examples, graphs, layers, projects, runs
    from app.web import pages

    for router in (layers.router, graphs.router, projects.router, datasets.router,
                   compile_options.router, runs.router, pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(ROOT / "static")), name="static")
    examples.install(app)
    return app
