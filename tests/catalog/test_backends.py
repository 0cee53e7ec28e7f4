"""Opening a catalog on a server: clear errors that never show the password."""

from __future__ import annotations

import sys

import pytest

from biblio.catalog import Catalog
from biblio.errors import CatalogError


def test_an_unreachable_server_is_a_catalog_error_without_the_password() -> None:
    # port 1 on the loopback: nothing listens there, so the connection is refused at once
    with pytest.raises(CatalogError) as caught:
        Catalog("postgresql+psycopg://reader:s3cret-pw@127.0.0.1:1/books")
    assert "127.0.0.1" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def test_an_unknown_driver_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="nosuchdriver"):
        Catalog("postgresql+nosuchdriver://reader@127.0.0.1/books")


def test_without_psycopg_the_error_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    with pytest.raises(CatalogError, match=r"biblio\[postgres\]"):
        Catalog("postgresql+psycopg://reader@127.0.0.1:1/books")
