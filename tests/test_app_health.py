"""The web app starts from its factory and answers its liveness probe."""
from __future__ import annotations

import pytest

from app import create_app


@pytest.fixture
def client(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "JOB_WORKER": "none",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"})
    return app.test_client()


def test_health_answers_200(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.is_json and response.get_json()["status"] == "ok"


def test_an_unknown_page_is_404(client):
    assert client.get("/no-such-page").status_code == 404
