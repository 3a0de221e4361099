"""Domain errors that carry their HTTP status; one handler maps them to JSON."""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the API reports on purpose.

    ``field`` names the request field at fault and ``node`` the graph node, so
    clients can point at the culprit instead of showing a banner.
    """

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, node: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.node = node

    def to_dict(self) -> dict:
        body: dict = {"detail": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.node is not None:
            body["node"] = self.node
        return body


class NotFound(AppError):
    status_code = 404


class Invalid(AppError):
    """The request is well-formed JSON but breaks a rule (422)."""

    status_code = 422


class TooLarge(AppError):
    status_code = 413


class Conflict(AppError):
    status_code = 409


class Unavailable(AppError):
    status_code = 503
