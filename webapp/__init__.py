"""The Flask application: recruiters upload credentials, hiring managers read shortlists, HR
systems use the JSON API under /api/v1."""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(config: dict[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """Build the app: configuration (defaults < instance/config.py < environment < ``config``),
    the database brought up to date, error handlers, the API, commands and the job runner."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    from . import config as configuration
    configuration.load(app, config)
    if app.config["PROXY_HOPS"]:  # client addresses (sign-in throttling) come from the proxy's headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    from . import commands, db, jobs, problems, skills
    db.init_app(app)
    problems.init_app(app)
    skills.init_app(app)

    from . import health
    from .api import bp as api_bp
    app.register_blueprint(health.bp)
    app.register_blueprint(api_bp)
    commands.init_app(app)
    jobs.init_app(app)
    from . import demo, ui
    demo.init_app(app)
    ui.init_app(app)  # the web pages (after the API's error handlers, which it keeps for /api)
    return app
