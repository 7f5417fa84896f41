"""The SQLite adapter's schema: its migrations, in order, and how a file is brought up to date.

A file records the versions applied in table ``schema_version``. Opening a file applies the
migrations it lacks, each once, in one ``BEGIN IMMEDIATE`` transaction: a failure leaves the
file as it was, and a file newer than this code is refused. A migration's text never changes
once released (a file somewhere was made by it): a change of schema is a new migration.

Version 2 keeps the aggregates in an ordinary rowid table with a unique (kind, id) index
(version 1's ``WITHOUT ROWID`` table kept the JSON inside its key B-tree and wrote about twice
the pages); opening a version 1 file copies its rows over, leaving the old table's pages free
inside the file (``VACUUM`` returns them). Version 3 adds a column for a billing state's mark and
each row's version, due date and mark to the by-client index (rebuilt on open: about a second
per 50,000 clients).
"""

from __future__ import annotations

import sqlite3

from hostbill_core.errors import ConfigurationError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE aggregates (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        client_id TEXT,
        due TEXT,
        amount TEXT,
        currency TEXT,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX aggregates_by_client ON aggregates (kind, client_id, id);
    CREATE INDEX aggregates_by_due ON aggregates (kind, due);
    CREATE TABLE natural_keys (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE INDEX natural_keys_by_owner ON natural_keys (kind, id);
    CREATE TABLE counters (series TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    """,
    # 2: aggregates become an ordinary rowid table (a row is 0.3-1 kB of JSON: WITHOUT ROWID
    # suits small rows only, and wrote twice the pages); the due index covers client_id for
    # client_ids(due_by) and leaves out the kinds without a due date.
    """
    CREATE TABLE aggregates_v2 (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        client_id TEXT,
        due TEXT,
        amount TEXT,
        currency TEXT,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (kind, id)
    );
    INSERT INTO aggregates_v2 (kind, id, client_id, due, amount, currency, version, data)
        SELECT kind, id, client_id, due, amount, currency, version, data FROM aggregates;
    DROP TABLE aggregates;
    ALTER TABLE aggregates_v2 RENAME TO aggregates;
    CREATE INDEX aggregates_by_client ON aggregates (kind, client_id, id);
    CREATE INDEX aggregates_by_due ON aggregates (kind, due, client_id) WHERE due IS NOT NULL;
    """,
    # 3: a billing state's mark gets a column of its own, and the by-client index carries
    # each row's version, due date and mark, so the billing run's reads of a page of clients
    # (marks, versions, the paging through clients with something due) visit no row.
    """
    ALTER TABLE aggregates ADD COLUMN mark TEXT;
    UPDATE aggregates SET mark = NULLIF(json_extract(data, '$.checked'), '')
        WHERE kind = 'billing_state';
    DROP INDEX aggregates_by_client;
    CREATE INDEX aggregates_by_client ON aggregates (kind, client_id, id, version, due, mark);
    """,
)

#: The schema version this code writes; a newer file is refused.
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    """Apply to ``db`` (a connection in autocommit mode) the migrations it lacks.

    Raises:
        ConfigurationError: the file's schema is newer than this code knows.
    """
    known = len(MIGRATIONS)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        current = row[0] or 0
        if current > known:
            raise ConfigurationError("schema_version", current, f"this code knows up to {known}")
        for version in range(current + 1, known + 1):
            for statement in MIGRATIONS[version - 1].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
