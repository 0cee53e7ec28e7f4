"""The catalog: SQLModel tables and the `Catalog` store over them."""

from biblio.catalog.store import Catalog, StoreResult

__all__ = ["Catalog", "StoreResult"]
