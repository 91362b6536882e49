"""The demo forum's state in SQLite: schema, password hashing, and the queries the modules share."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from pathlib import Path

SCHEMA = """
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE members(
    uid INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
    password_hash TEXT NOT NULL, salt TEXT NOT NULL, groupid INTEGER NOT NULL, adminid INTEGER NOT NULL,
    question_id INTEGER NOT NULL DEFAULT 0, answer_hash TEXT NOT NULL DEFAULT '',
    credits INTEGER NOT NULL DEFAULT 0, regdate INTEGER NOT NULL, lastpost INTEGER NOT NULL DEFAULT 0);
CREATE TABLE forums(
    fid INTEGER PRIMARY KEY, fup INTEGER NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', displayorder INTEGER NOT NULL DEFAULT 0,
    members_only INTEGER NOT NULL DEFAULT 0);
CREATE TABLE threads(
    tid INTEGER PRIMARY KEY, fid INTEGER NOT NULL, authorid INTEGER NOT NULL, author TEXT NOT NULL,
    subject TEXT NOT NULL, dateline INTEGER NOT NULL, lastpost INTEGER NOT NULL, lastposter TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0, replies INTEGER NOT NULL DEFAULT 0,
    displayorder INTEGER NOT NULL DEFAULT 0, digest INTEGER NOT NULL DEFAULT 0,
    highlight INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0,
    special INTEGER NOT NULL DEFAULT 0, attachment INTEGER NOT NULL DEFAULT 0,
    maxposition INTEGER NOT NULL DEFAULT 0);
CREATE INDEX threads_by_forum ON threads(fid, displayorder, lastpost);
CREATE TABLE posts(
    pid INTEGER PRIMARY KEY, tid INTEGER NOT NULL, first INTEGER NOT NULL, authorid INTEGER NOT NULL,
    author TEXT NOT NULL, dateline INTEGER NOT NULL, message TEXT NOT NULL, position INTEGER NOT NULL,
    attachment INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX posts_by_position ON posts(tid, position);
CREATE INDEX posts_by_author ON posts(tid, authorid, position);
CREATE TABLE attachments(
    aid INTEGER PRIMARY KEY, tid INTEGER NOT NULL, pid INTEGER NOT NULL, uid INTEGER NOT NULL,
    dateline INTEGER NOT NULL, filename TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL UNIQUE, isimage INTEGER NOT NULL, width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0, downloads INTEGER NOT NULL DEFAULT 0, data BLOB NOT NULL);
CREATE INDEX attachments_by_post ON attachments(pid);
CREATE TABLE polls(
    tid INTEGER PRIMARY KEY, multiple INTEGER NOT NULL, maxchoices INTEGER NOT NULL,
    expiration INTEGER NOT NULL, visible INTEGER NOT NULL DEFAULT 0);
CREATE TABLE polloptions(
    polloptionid INTEGER PRIMARY KEY, tid INTEGER NOT NULL, displayorder INTEGER NOT NULL,
    polloption TEXT NOT NULL, votes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE pollvoters(
    tid INTEGER NOT NULL, uid INTEGER NOT NULL, options TEXT NOT NULL, dateline INTEGER NOT NULL,
    PRIMARY KEY(tid, uid));
CREATE TABLE favorites(
    favid INTEGER PRIMARY KEY, uid INTEGER NOT NULL, id INTEGER NOT NULL, idtype TEXT NOT NULL,
    title TEXT NOT NULL, dateline INTEGER NOT NULL, UNIQUE(uid, id, idtype));
CREATE TABLE pms(
    pmid INTEGER PRIMARY KEY, from_uid INTEGER NOT NULL, to_uid INTEGER NOT NULL, message TEXT NOT NULL,
    dateline INTEGER NOT NULL, is_new INTEGER NOT NULL DEFAULT 1);
CREATE TABLE notices(
    id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, type TEXT NOT NULL, is_new INTEGER NOT NULL DEFAULT 1,
    authorid INTEGER NOT NULL, author TEXT NOT NULL, note TEXT NOT NULL, dateline INTEGER NOT NULL,
    tid INTEGER NOT NULL DEFAULT 0, pid INTEGER NOT NULL DEFAULT 0, subject TEXT NOT NULL DEFAULT '');
CREATE TABLE failedlogins(ip TEXT PRIMARY KEY, count INTEGER NOT NULL, lastupdate INTEGER NOT NULL);
"""

PHONE_STATUS = 8  # posts.status bit 4: sent through the mobile API (the web's 来自手机)

_HASH_ITERATIONS = 20_000  # a demo: slow enough to be a real salted hash, fast enough for tests


def hash_secret(secret: str, salt: str) -> str:
    """A salted PBKDF2 hash of a password or security answer."""
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), _HASH_ITERATIONS).hex()


def secret_matches(secret: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt), expected_hash)


def new_salt() -> str:
    return secrets.token_hex(8)


class Store:
    """One SQLite connection shared by the server's threads, used under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.lock = threading.RLock()
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A data folder seeded by an older version lacks columns added since; add them empty."""
        posts = {row["name"] for row in self.db.execute("PRAGMA table_info(posts)")}
        if posts and "status" not in posts:
            self.db.execute("ALTER TABLE posts ADD COLUMN status INTEGER NOT NULL DEFAULT 0")

    def close(self) -> None:
        """Close under the lock: closing while a handler thread is mid-query crashes SQLite."""
        with self.lock:
            self.db.close()

    def one(self, sql: str, *params: object) -> sqlite3.Row | None:
        return self.db.execute(sql, params).fetchone()

    def all(self, sql: str, *params: object) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def value(self, sql: str, *params: object) -> object:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    def run(self, sql: str, *params: object) -> int:
        """Execute a write; the new row id (for inserts)."""
        return self.db.execute(sql, params).lastrowid or 0

    def change(self, sql: str, *params: object) -> int:
        """Execute an update or delete; how many rows it changed."""
        return self.db.execute(sql, params).rowcount

    def setting(self, key: str) -> str:
        return str(self.value("SELECT value FROM settings WHERE key = ?", key) or "")
