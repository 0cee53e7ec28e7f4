"""The exceptions biblio raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations

__all__ = [
    "BiblioError",
    "CatalogError",
    "DocumentError",
    "NetworkError",
    "NetworkUnavailable",
    "SchemaVersionError",
    "UsageError",
]


class BiblioError(Exception):
    """Base of every error biblio reports to the user (never a traceback)."""

    exit_code = 1

    @property
    def reason(self) -> str:
        """What went wrong, as a per-document failure reports it (without the source it names)."""
        return str(self)


class DocumentError(BiblioError):
    """A document that cannot be read or decoded; names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self._reason = reason

    @property
    def reason(self) -> str:
        """The reason alone: the failure already names the document."""
        return self._reason


class CatalogError(BiblioError):
    """The catalog cannot be opened or written."""


class SchemaVersionError(CatalogError):
    """The catalog was written by a different schema version."""


class UsageError(BiblioError):
    """A command was called with arguments that make no sense."""

    exit_code = 2


class NetworkError(BiblioError):
    """A request that failed: a timeout, a refused status, a malformed answer, a cache miss offline."""


class NetworkUnavailable(NetworkError):
    """No connection could be made at all: the run stops at once, having changed nothing more."""
