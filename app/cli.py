"""Console entry point: ``neuralcanvas serve --host --port --data-dir``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="neuralcanvas", description="NeuralCanvas server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", type=Path, default=None, help="SQLite, uploads and models (NC_DATA_DIR)")
    args = parser.parse_args(argv)

    import uvicorn

    from app.main import create_app
    from app.settings import Settings

    # Keras inference runs on a thread; a short GIL switch interval keeps the
    # event loop answering within milliseconds while a big summary runs.
    sys.setswitchinterval(0.001)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    app = create_app(Settings(**overrides))
    uvicorn.run(app, host=args.host, port=args.port, timeout_graceful_shutdown=5)


if __name__ == "__main__":
    main()
