"""The Flask application: recruiters upload credentials, hiring managers read shortlists."""
from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    if config:
        app.config.update(config)

    from . import health
    app.register_blueprint(health.bp)
    return app
