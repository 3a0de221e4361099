"""Start-up and shut-down of the training machinery (executor, event hub)."""


async def startup(app) -> None:
    """Placeholder: the training-engine work starts its executor here."""


async def shutdown(app) -> None:
    """Placeholder: the training-engine work stops its executor here."""
