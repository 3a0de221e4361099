"""Routers only: read the request, call one domain function, respond."""
