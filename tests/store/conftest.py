"""The store suite runs on SQLite always and on PostgreSQL when a server is given.

``DBSSIM_TEST_POSTGRES_URL`` names a PostgreSQL database the tests may create schemas
in (``.ci/run`` starts one on 127.0.0.1). Without it the PostgreSQL half is skipped
locally and fails under ``CI=true``. Each test gets a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.schema import CreateSchema, DropSchema

from dbssim.session.scoring import debrief
from dbssim.store.database import parse_url
from dbssim.store.service import Store

POSTGRES_ENV = "DBSSIM_TEST_POSTGRES_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"{POSTGRES_ENV} is not set: no PostgreSQL server to test the store against"
        if in_ci():
            pytest.fail(message + " (CI=true: .ci/run must start one)")
        pytest.skip(message + " (start one with: source .ci/postgres.sh; pg_test_start)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL of an empty store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    base = parse_url(postgres_base_url())
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(CreateSchema(schema))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True, if_exists=True))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url, scorer=debrief) as opened:
        yield opened
