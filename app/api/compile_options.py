"""GET /api/compile-options: losses, optimizers and metrics from Keras's own catalogs."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from app.training.service import TrainingService

router = APIRouter(prefix="/api", tags=["compile_options"])


def get_training(request: Request) -> TrainingService:
    return request.app.state.training


TrainingDep = Annotated[TrainingService, Depends(get_training)]


@router.get("/compile-options", summary="Losses, optimizers (with arguments) and metrics a run may use")
async def compile_options(training: TrainingDep) -> dict[str, Any]:
    """Introspected from the installed Keras: ids, Keras class names, defaults, which labels each
    loss expects and which output activation it wants."""
    return await training.compile_options()
