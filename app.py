"""The hiring app: `flask --app app run`."""
from webapp import create_app

__all__ = ["create_app"]
