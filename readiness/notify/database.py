"""The few database calls notifications make, on either warehouse backend.

The planner reads the marts and the outbox lives beside them, so notifications talk to
the working warehouse: a DuckDB connection, or a PostgreSQL (DB-API, psycopg2)
connection. SQL is written once, with ``?`` placeholders and syntax both accept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class Database:
    def __init__(self, connection: Any, backend: str):
        if backend not in ("duckdb", "postgres"):
            raise ValueError(f"unknown backend {backend!r}")
        self.connection = connection
        self.backend = backend

    @classmethod
    def duckdb(cls, connection: Any) -> Database:
        return cls(connection, "duckdb")

    @classmethod
    def postgres(cls, connection: Any) -> Database:
        """A psycopg2 connection in autocommit mode (transactions are explicit)."""
        connection.autocommit = True
        return cls(connection, "postgres")

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.backend == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self.backend == "duckdb":
            self.connection.execute(sql, list(params))
        else:
            with self.connection.cursor() as cursor:
                cursor.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.backend == "duckdb":
            self.connection.executemany(sql, [list(row) for row in rows])
        else:
            with self.connection.cursor() as cursor:
                cursor.executemany(self._sql(sql), [tuple(row) for row in rows])

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        columns, values = self._fetch(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in values]

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._fetch(sql, params)[1]

    def _fetch(self, sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple]]:
        if self.backend == "duckdb":
            result = self.connection.execute(sql, list(params))
            return [c[0] for c in result.description], [tuple(r) for r in result.fetchall()]
        with self.connection.cursor() as cursor:
            cursor.execute(self._sql(sql), tuple(params))
            return [c[0] for c in cursor.description], [tuple(r) for r in cursor.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.execute("rollback")
            raise
        self.execute("commit")

    def close(self) -> None:
        self.connection.close()
