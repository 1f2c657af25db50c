"""A scratch PostgreSQL database for one benchmark run, made and dropped through an admin URL."""
from __future__ import annotations

import uuid


def create_database(admin_url: str) -> str:
    """The URL of a new, empty database on ``admin_url``'s server; raises when it cannot be made."""
    import psycopg
    name = f"skillproof_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    import psycopg
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
