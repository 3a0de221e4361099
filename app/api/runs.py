"""Placeholder router; the training-engine work fills it in."""

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["runs"])
