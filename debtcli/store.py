"""The one module that owns the SQLite schema, its migrations and every query.

A store is one SQLite file (0600 in a 0700 folder) plus an evidence folder beside it for
attachments, named by SHA-256. Read paths use only the stdlib sqlite3.
"""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from debtcli.errors import StoreError, os_reason, sqlite_reason

GENESIS = "0" * 64  # the prev_hash of the first log entry
# PRAGMA application_id of a debtcli store ("dbtc"): another program's SQLite file is refused.
APPLICATION_ID = 0x64627463

APP_NAME = "debtcli"


def default_store_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "debtcli.db"


def resolve_store_path(db: str | os.PathLike | None) -> Path:
    """--db, else DEBTCLI_DB, else the platform's user data dir."""
    if db:
        return Path(db).expanduser()
    env = os.environ.get("DEBTCLI_DB")
    return Path(env).expanduser() if env else default_store_path()


def evidence_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.stem + "-evidence")


def config_dir() -> Path:
    env = os.environ.get("DEBTCLI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def make_private_dir(path: Path) -> None:
    """Create a folder only its owner can enter (0700), and every missing folder above it too,
    whatever the umask; leave existing folders' modes alone."""
    missing = []
    for p in (path, *path.parents):
        if p.exists():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            continue
        p.chmod(0o700)


STAGING_PREFIX = ".debtcli-staging-"
INCOMING_PREFIX = ".incoming-"  # an attachment on its way into the evidence folder


@contextmanager
def staging(store_path: Path) -> Iterator[Path]:
    """A private work folder beside the store (0700), for copies of the store and files on
    their way into it: personal data never goes to the system's temporary folder. Removed on
    every exit path (the CLI turns SIGTERM and SIGHUP into an exit, so this runs then too);
    one left by a SIGKILL names its process and is swept by the next command."""
    import shutil
    import tempfile

    folder = Path(store_path).parent
    make_private_dir(folder)
    work = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=folder))
    work.chmod(0o700)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphans(folder: Path, prefix: str = STAGING_PREFIX) -> list[str]:
    """Remove what a killed debtcli left in `folder` under `prefix` (a staging folder beside
    the store, or a half-copied attachment .incoming-PID-… in the evidence folder); returns
    their names. Those of a running process stay."""
    import shutil

    try:
        found = [e for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return []
    removed = []
    for e in found:
        pid = e.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if e.is_dir(follow_symlinks=False):
            shutil.rmtree(e.path, ignore_errors=True)
        else:
            Path(e.path).unlink(missing_ok=True)
        removed.append(e.name)
    return removed


# --- migrations -------------------------------------------------------------------------------
# Each migration is a named function applied once, in order, inside a transaction together with
# the row that records it. PRAGMA user_version holds how many have run, so a store written by a
# newer debtcli (user_version larger than we know) is refused before anything is written.


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def m001_cards_episodes_payments(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            bank TEXT NOT NULL,
            last4 TEXT NOT NULL CHECK (length(last4) = 4),
            name TEXT,
            credit_limit INTEGER,
            due_day INTEGER,
            statement_day INTEGER,
            currency TEXT NOT NULL DEFAULT 'CNY',
            archived_on TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE episodes (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            since TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount >= 0),
            principal INTEGER,
            interest INTEGER,
            fees INTEGER,
            settled_on TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX episodes_card ON episodes(card_id, settled_on);
        CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            episode_id INTEGER REFERENCES episodes(id),
            paid_on TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX payments_episode ON payments(episode_id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


def m002_contact_log(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            at TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL,
            party TEXT NOT NULL,
            org TEXT, agent TEXT, agent_id TEXT, phone TEXT,
            minutes INTEGER,
            answered INTEGER,
            contacted TEXT NOT NULL,
            agents INTEGER,
            credentials TEXT,
            demanded INTEGER,
            pay_to TEXT,
            promise TEXT, promise_date TEXT,
            claims TEXT, flags TEXT,
            note TEXT,
            amends INTEGER REFERENCES contacts(id),
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX contacts_card_at ON contacts(card_id, at_utc);
        CREATE INDEX contacts_card_channel ON contacts(card_id, channel, at_utc);
        CREATE INDEX contacts_card_party ON contacts(card_id, party, at_utc);
        CREATE INDEX contacts_amends ON contacts(amends);
        CREATE INDEX contacts_at ON contacts(at_utc);
        CREATE TABLE contact_attachments (
            contact_id INTEGER NOT NULL REFERENCES contacts(id),
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            mime TEXT,
            PRIMARY KEY (contact_id, position)
        );
        CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts
            BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
        CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
            BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
        """,
    )


def m003_agreements(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE agreements (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            episode_id INTEGER REFERENCES episodes(id),
            agreed_on TEXT NOT NULL,
            months INTEGER NOT NULL CHECK (months > 0),
            monthly INTEGER NOT NULL CHECK (monthly > 0),
            first_due TEXT NOT NULL,
            reduction INTEGER,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX agreements_card ON agreements(card_id);
        """,
    )


def m004_payment_indexes(conn: sqlite3.Connection) -> None:
    """What an episode's payments add up to, read from the index alone: status sums every
    card's payments (0.13 ms a card with 250 payments through the old index, 0.03 ms). And a
    card's payments in date order (card show, timeline) without reading every payment."""
    _script(
        conn,
        """
        CREATE INDEX payments_episode_amount ON payments(episode_id, amount);
        DROP INDEX payments_episode;
        CREATE INDEX payments_card_paid ON payments(card_id, paid_on);
        """,
    )


def m005_settlement_amount(conn: sqlite3.Connection) -> None:
    """What was paid to settle an episode (a discounted settlement is common): kept apart from
    the amount owed, so a settled card shows ¥0 owed and the sum it was settled for."""
    _script(conn, "ALTER TABLE episodes ADD COLUMN settled_amount INTEGER;")


def m006_corrections(conn: sqlite3.Connection) -> None:
    """Corrections with a trace: a payment is voided (when, by whom, why), never deleted; a
    change to an episode's start or amount is kept as history. Sums skip voided payments
    through the index (episode, voided, amount), so status still reads the index alone. The store is marked as
    debtcli's (application_id)."""
    _script(
        conn,
        """
        ALTER TABLE payments ADD COLUMN voided_at TEXT;
        ALTER TABLE payments ADD COLUMN voided_by TEXT;
        ALTER TABLE payments ADD COLUMN voided_why TEXT;
        DROP INDEX payments_episode_amount;
        CREATE INDEX payments_episode_amount ON payments(episode_id, voided_at, amount);
        CREATE TABLE episode_changes (
            id INTEGER PRIMARY KEY,
            episode_id INTEGER NOT NULL REFERENCES episodes(id),
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX episode_changes_episode ON episode_changes(episode_id);
        """,
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def m007_salted_commitments(conn: sqlite3.Connection) -> None:
    """Entries are chained over per-field salted commitments from now on (scheme 2, see
    debtcli.evidence), so a redacted bundle can hide a phone number without it being guessed
    from a hash. `salt` is each entry's random seed; entries recorded before keep their hashes
    (salt NULL: scheme 1). Stamps: RFC 3161 timestamp tokens over the chain head, and the
    timestamp authorities the user chose."""
    _script(
        conn,
        """
        ALTER TABLE contacts ADD COLUMN salt TEXT;
        CREATE TABLE tsas (
            url TEXT PRIMARY KEY,
            ca_pem TEXT,
            added_at TEXT NOT NULL
        );
        CREATE TABLE stamps (
            id INTEGER PRIMARY KEY,
            tsa TEXT NOT NULL,
            chain_count INTEGER NOT NULL,
            chain_head TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            token BLOB,
            gen_time TEXT,
            error TEXT
        );
        CREATE INDEX stamps_pending ON stamps(token, tsa);
        CREATE TRIGGER stamps_keep_tokens BEFORE DELETE ON stamps WHEN OLD.token IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'timestamp tokens are evidence: never deleted'); END;
        CREATE TRIGGER stamps_token_fixed BEFORE UPDATE ON stamps WHEN OLD.token IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'timestamp tokens are evidence: never changed'); END;
        """,
    )


def m008_number_book(conn: sqlite3.Connection) -> None:
    """The number book: who calls from which number (the bank's 95558, an agency's line), so
    that imported recordings and messages find their card and organisation. Numbers are kept
    as digits (debtcli.phone.number)."""
    _script(
        conn,
        """
        CREATE TABLE numbers (
            number TEXT PRIMARY KEY,
            card_id INTEGER REFERENCES cards(id),
            bank TEXT,
            org TEXT,
            party TEXT,
            added_at TEXT NOT NULL
        );
        """,
    )


def m009_stamp_request_ids(conn: sqlite3.Connection) -> None:
    """Each timestamp request gets its own random id: a token is recorded on the request it
    answers, never on a row that took over a re-used rowid while it was on its way (a newer
    head replaces a pending request)."""
    _script(
        conn,
        """
        ALTER TABLE stamps ADD COLUMN request_id TEXT;
        CREATE UNIQUE INDEX stamps_request ON stamps(request_id);
        UPDATE stamps SET request_id = lower(hex(randomblob(16))) WHERE token IS NULL;
        """,
    )


def m010_import_runs(conn: sqlite3.Connection) -> None:
    """Each phone import is a run (which file, when, whether the user reviewed it at a terminal
    or logged it in bulk) and knows the entries it logged: the number book learns only from
    entries a person confirmed, and a run can be named as a whole."""
    _script(
        conn,
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            at TEXT NOT NULL,
            reviewed INTEGER NOT NULL
        );
        CREATE TABLE imported (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts(id),
            import_id INTEGER NOT NULL REFERENCES imports(id)
        );
        CREATE INDEX imported_run ON imported(import_id);
        """,
    )


def m011_withdrawals(conn: sqlite3.Connection) -> None:
    """An entry that should never have been logged (a message taken in by mistake, the wrong
    card, a test) is withdrawn, never deleted: it stays in the chain and in every bundle, marked
    with when and why, and leaves every count, flag, stage and letter."""
    _script(
        conn,
        """
        CREATE TABLE withdrawals (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts(id),
            at TEXT NOT NULL,
            why TEXT NOT NULL
        );
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_cards_episodes_payments,
    m002_contact_log,
    m003_agreements,
    m004_payment_indexes,
    m005_settlement_amount,
    m006_corrections,
    m007_salted_commitments,
    m008_number_book,
    m009_stamp_request_ids,
    m010_import_runs,
    m011_withdrawals,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    applied = []
    for number, migration in enumerate(MIGRATIONS[:upto], start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current >= number:
                conn.execute("ROLLBACK")
                continue
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            migration(conn)
            conn.execute(
                "INSERT INTO migrations VALUES (?, datetime('now'))", (migration.__name__,)
            )
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.__name__)
    return applied


class Store:
    """An open store: the connection and where it lives."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.file = _identity(path)  # the file this connection has open
        self.wrote = False  # a write was attempted: queued timestamps may be sent
        # The rule pack this run uses (a callable, so it is loaded only when asked): cards are
        # found by their bank's names in it.
        self.pack_loader: Callable[[], Any] | None = None

    @property
    def evidence_dir(self) -> Path:
        return evidence_dir(self.path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside lands, or nothing does. The first write of a
        run also removes the half-copied attachments a killed debtcli left."""
        if not self.wrote:
            sweep_orphans(self.evidence_dir, INCOMING_PREFIX)
        self.wrote = True
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if _identity(self.path) != self.file:
                # A restore replaced the store while this command ran (asking its questions):
                # written here, the entry would land in the old file, gone with it.
                raise StoreError(
                    f"the store {self.path} was replaced (restored) while this command ran; "
                    "nothing was written: run the command again",
                    f"本命令运行期间数据文件 {self.path} 被替换（恢复）了；未写入任何内容：请重新运行该命令",
                )
            yield self.conn
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk): do not hide the
            # real error behind "no transaction is active".
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same snapshot, whatever other
        processes commit meanwhile (verify under a running `log add`: no false alarm)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at path (device and inode): a replaced store is another file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def store_error(path: Path, exc: Exception) -> StoreError:
    """The store cannot be used: why, as the system or SQLite said it, and in Chinese."""
    en, zh = os_reason(exc) if isinstance(exc, OSError) else sqlite_reason(exc)
    return StoreError(f"the store {path} cannot be used: {en}", f"无法使用数据文件 {path}：{zh}")


def _not_ours(conn: sqlite3.Connection) -> bool:
    """A SQLite file that some other program made: not marked as ours, and holding tables
    that are not a debtcli store's (an empty file, or a store from before the mark, is ours)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return False
    if conn.execute("PRAGMA application_id").fetchone()[0] != 0:
        return True
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(tables) and "migrations" not in tables


def open_store(path: Path, *, upto: int = SCHEMA_VERSION, create: bool = True) -> Store:
    """Open and migrate the store. Every command goes through here. A missing store is made
    only when `create` (commands that write); a read command on a mistyped --db says so."""
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(
            f"no store at {path} — add a card first (debtcli card add) or check --db",
            f"{path} 没有数据文件——请先添加一张卡（debtcli card add），或检查 --db",
        )
    try:
        if not path.exists():
            make_private_dir(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        elif path.is_dir():
            raise StoreError(
                f"the store path {path} is a folder, not a file",
                f"数据文件路径 {path} 是一个文件夹",
            )
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except OSError as exc:
        raise store_error(path, exc) from exc
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    conn.row_factory = sqlite3.Row
    try:
        if _not_ours(conn):
            conn.close()
            raise StoreError(
                f"{path} is a SQLite file but not a debtcli store; it was not changed (check --db)",
                f"{path} 是 SQLite 文件，但不是 debtcli 数据文件；未作任何修改（请检查 --db）",
            )
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"the store {path} was written by a newer debtcli (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade debtcli — the store was not changed",
                f"数据文件 {path} 由更新版本的 debtcli 写入（结构版本 {version}，本版本只支持 "
                f"{SCHEMA_VERSION}）；请升级 debtcli，文件未被修改",
            )
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA cache_size = -32768")  # 32 MB: a long import's index pages stay
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a committed entry survives a power cut, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
        if version < upto:
            conn.execute("PRAGMA journal_mode = WAL")
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(conn, upto)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise store_error(path, exc) from exc
    return Store(conn, path)


# --- cards ------------------------------------------------------------------------------------

CARD_FIELDS = ("bank", "last4", "name", "credit_limit", "due_day", "statement_day", "currency")


def add_card(store: Store, fields: dict, now: str) -> int:
    with store.write() as c:
        cur = c.execute(
            "INSERT INTO cards (bank, last4, name, credit_limit, due_day, statement_day, "
            "currency, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (*(fields.get(k) for k in CARD_FIELDS[:-1]), fields.get("currency") or "CNY", now),
        )
        return int(cur.lastrowid or 0)


def list_cards(store: Store, *, include_archived: bool = False) -> list[sqlite3.Row]:
    sql = "SELECT * FROM cards"
    if not include_archived:
        sql += " WHERE archived_on IS NULL"
    return store.conn.execute(sql + " ORDER BY id").fetchall()


def get_card(store: Store, card_id: int) -> sqlite3.Row:
    return store.conn.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()


def update_card(store: Store, card_id: int, fields: dict) -> None:
    if not fields:
        return
    cols = ", ".join(f"{k} = ?" for k in fields)
    with store.write() as c:
        c.execute(f"UPDATE cards SET {cols} WHERE id = ?", (*fields.values(), card_id))


# --- overdue episodes and payments -----------------------------------------------------------


def open_episode(store: Store, card_id: int) -> sqlite3.Row | None:
    return store.conn.execute(
        "SELECT * FROM episodes WHERE card_id = ? AND settled_on IS NULL ORDER BY id DESC LIMIT 1",
        (card_id,),
    ).fetchone()


def latest_episode(store: Store, card_id: int) -> sqlite3.Row | None:
    return store.conn.execute(
        "SELECT * FROM episodes WHERE card_id = ? ORDER BY settled_on IS NULL DESC, id DESC "
        "LIMIT 1",
        (card_id,),
    ).fetchone()


def episodes(store: Store, card_id: int) -> list[sqlite3.Row]:
    return store.conn.execute(
        "SELECT * FROM episodes WHERE card_id = ? ORDER BY id", (card_id,)
    ).fetchall()


def paid_in_episode(store: Store, episode_id: int) -> int:
    row = store.conn.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM payments WHERE episode_id = ? AND voided_at IS NULL",
        (episode_id,),
    ).fetchone()
    return int(row[0])


def payments(store: Store, card_id: int, *, history: bool = False) -> list[sqlite3.Row]:
    """A card's payments in date order; voided ones only with history."""
    live = "" if history else " AND voided_at IS NULL"
    return store.conn.execute(
        f"SELECT * FROM payments WHERE card_id = ?{live} ORDER BY paid_on, id", (card_id,)
    ).fetchall()


def payment(store: Store, payment_id: int) -> sqlite3.Row | None:
    if not 0 < payment_id < 1 << 63:
        return None
    return store.conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()


def void_payment(
    store: Store, payment_id: int, at: str, by: str, why: str, reopen_episode: int | None
) -> None:
    """Mark a payment void (it stays, with when, who and why); reopen the episode it settled."""
    with store.write() as c:
        c.execute(
            "UPDATE payments SET voided_at = ?, voided_by = ?, voided_why = ? WHERE id = ?",
            (at, by, why, payment_id),
        )
        if reopen_episode is not None:
            c.execute(
                "UPDATE episodes SET settled_on = NULL, settled_amount = NULL WHERE id = ?",
                (reopen_episode,),
            )


def episode_changes(store: Store, episode_id: int) -> list[sqlite3.Row]:
    return store.conn.execute(
        "SELECT field, old, new, changed_at FROM episode_changes WHERE episode_id = ? ORDER BY id",
        (episode_id,),
    ).fetchall()


def save_episode(store: Store, card_id: int, fields: dict, now: str) -> tuple[int, bool]:
    """Open a new episode, or correct the open one, keeping what each correction changed.
    Returns (id, created)."""
    with store.write() as c:
        current = open_episode(store, card_id)
        if current is not None:
            cols = ", ".join(f"{k} = ?" for k in fields)
            c.executemany(
                "INSERT INTO episode_changes (episode_id, field, old, new, changed_at) "
                "VALUES (?,?,?,?,?)",
                [
                    (
                        current["id"],
                        k,
                        None if current[k] is None else str(current[k]),
                        None if v is None else str(v),
                        now,
                    )
                    for k, v in fields.items()
                    if current[k] != v
                ],
            )
            c.execute(f"UPDATE episodes SET {cols} WHERE id = ?", (*fields.values(), current["id"]))
            return int(current["id"]), False
        cur = c.execute(
            "INSERT INTO episodes (card_id, since, amount, principal, interest, fees, created_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                card_id,
                fields["since"],
                fields["amount"],
                fields.get("principal"),
                fields.get("interest"),
                fields.get("fees"),
                now,
            ),
        )
        return int(cur.lastrowid or 0), True


def add_payment(
    store: Store,
    card_id: int,
    episode_id: int,
    paid_on: str,
    amount: int,
    note: str | None,
    now: str,
    settles: bool,
) -> int:
    with store.write() as c:
        cur = c.execute(
            "INSERT INTO payments (card_id, episode_id, paid_on, amount, note, created_at) "
            "VALUES (?,?,?,?,?,?)",
            (card_id, episode_id, paid_on, amount, note, now),
        )
        if settles:
            c.execute("UPDATE episodes SET settled_on = ? WHERE id = ?", (paid_on, episode_id))
        return int(cur.lastrowid or 0)


def settle_episode(
    store: Store, card_id: int, episode_id: int, settled_on: str, amount: int | None, now: str
) -> None:
    """Settle an episode; with an amount, that payment is recorded with it, in one transaction."""
    with store.write() as c:
        if amount:
            c.execute(
                "INSERT INTO payments (card_id, episode_id, paid_on, amount, note, created_at) "
                "VALUES (?,?,?,?,?,?)",
                (card_id, episode_id, settled_on, amount, "settlement / 结清", now),
            )
        c.execute(
            "UPDATE episodes SET settled_on = ?, settled_amount = ? WHERE id = ?",
            (settled_on, amount, episode_id),
        )


# --- the contact log (append-only, hash-chained) -----------------------------------------------

CONTACT_INPUT = (
    "card_id",
    "at",
    "at_utc",
    "recorded_at",
    "channel",
    "direction",
    "party",
    "org",
    "agent",
    "agent_id",
    "phone",
    "minutes",
    "answered",
    "contacted",
    "agents",
    "credentials",
    "demanded",
    "pay_to",
    "promise",
    "promise_date",
    "claims",
    "flags",
    "note",
    "amends",
)
_INSERT_CONTACT = (
    f"INSERT INTO contacts (id, {', '.join(CONTACT_INPUT)}, prev_hash, salt, hash) "
    f"VALUES ({', '.join('?' * (len(CONTACT_INPUT) + 4))})"
)
# The corrected view: a row counts unless a later amendment of the same original exists, or
# the original was withdrawn.
_CURRENT = (
    "NOT EXISTS (SELECT 1 FROM contacts a WHERE a.amends = COALESCE(c.amends, c.id) "
    "AND a.id > c.id) AND NOT EXISTS (SELECT 1 FROM withdrawals w "
    "WHERE w.contact_id = COALESCE(c.amends, c.id))"
)


# A contact addressed to the cardholder in person (a message to their own number, a letter to
# them, a visit they met, a call to them), and one that reached them: for a call, answered (a
# missed call says nothing). Only what reached the cardholder interrupts the limitation period
# (民法典 195(一); 2020 时效规定 第八条), is an effective notice, or shows a stage; a call or
# letter to a family member does none of it.
_TO_CARDHOLDER = "c.direction = 'in' AND c.contacted = 'self'"
_REACHED = f"{_TO_CARDHOLDER} AND (c.channel != 'call' OR c.answered = 1)"
_END_OF_TIME = "9999"  # a bound no at_utc reaches: every contact logged, whatever "today" is


def chain_state(conn: sqlite3.Connection) -> tuple[int, str, int]:
    """(entries recorded, hash of the last, id of the last)."""
    meta = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('chain_count', 'chain_head')"
        ).fetchall()
    )
    last = conn.execute("SELECT MAX(id) FROM contacts").fetchone()[0] or 0
    return int(meta.get("chain_count", 0)), meta.get("chain_head", GENESIS), last


def append_contacts(
    conn: sqlite3.Connection,
    entries: list[dict],
    attachments: list[list[dict]],
    seals: list[tuple[str, str]] | None = None,
) -> list[int]:
    """Append entries to the chain. Call inside Store.write(): the caller owns the transaction,
    so an import of many rows is one transaction. seals: each entry's evidence.seal(), when
    made already (on another core)."""
    from debtcli.evidence import chained, seal

    count, head, last = chain_state(conn)
    ids: list[int] = []
    rows: list[tuple] = []
    att_rows: list[tuple] = []
    for n, (fields, atts) in enumerate(zip(entries, attachments, strict=True)):
        last += 1
        values = [last, *map(fields.get, CONTACT_INPUT), head]  # evidence.CHAIN_COLUMNS
        seed, text = seals[n] if seals else seal(values, atts)
        head = chained(text, last, head)
        rows.append((*values, seed, head))
        att_rows.extend(
            (last, pos, a["sha256"], a["name"], a["size"], a.get("mime"))
            for pos, a in enumerate(atts)
        )
        ids.append(last)
    conn.executemany(_INSERT_CONTACT, rows)
    conn.executemany("INSERT INTO contact_attachments VALUES (?,?,?,?,?,?)", att_rows)
    conn.execute(
        "INSERT INTO meta VALUES ('chain_head', ?) ON CONFLICT(key) DO UPDATE SET value = ?",
        (head, head),
    )
    recorded = str(count + len(entries))
    conn.execute(
        "INSERT INTO meta VALUES ('chain_count', ?) ON CONFLICT(key) DO UPDATE SET value = ?",
        (recorded, recorded),
    )
    if entries:  # with a TSA configured, the new head waits for its stamp (never blocks this)
        from datetime import UTC, datetime

        queue_stamps(conn, int(recorded), head, datetime.now(UTC).isoformat(timespec="seconds"))
    return ids


def contact(store: Store, entry_id: int) -> sqlite3.Row | None:
    if not 0 < entry_id < 1 << 63:  # beyond SQLite's integers: no such entry, not a crash
        return None
    return store.conn.execute("SELECT * FROM contacts WHERE id = ?", (entry_id,)).fetchone()


def latest_version(store: Store, root: int) -> dict | None:
    """An entry as the corrected view shows it (its latest correction's values, `id` the
    original's), read through the primary key and the amends index alone: `log amend` costs
    the same on a long log as on a short one."""
    row = store.conn.execute(
        "SELECT c.*, c.id AS row_id, cards.bank, cards.last4, cards.currency FROM contacts c "
        "JOIN cards ON cards.id = c.card_id WHERE c.id = (SELECT MAX(id) FROM contacts "
        "WHERE id = ? OR amends = ?)",
        (root, root),
    ).fetchone()
    if row is None:
        return None
    return {**dict(row), "root": root, "amended": row["amends"] is not None, "id": root}


def iter_contacts(
    store: Store,
    *,
    card_id: int | None = None,
    history: bool = False,
    since_utc: str | None = None,
    until_utc: str | None = None,
    channels: list[str] | None = None,
    bank: str | None = None,
    latest: int | None = None,
    columns: tuple[str, ...] | None = None,
) -> Iterator[dict]:
    """Contacts joined with their card, oldest first, read as a stream (a million entries
    never sit in memory at once). Without history, the corrected view:
    one row per original entry carrying its latest amendment's values, `id` the original's.
    `columns` (of contacts) narrows the rows: a dict of thirty values per row is most of the
    cost of reading a few hundred."""
    where: list[str] = []
    args: list[Any] = []
    if card_id is not None:
        where.append("c.card_id = ?")
        args.append(card_id)
    if since_utc:
        where.append("c.at_utc >= ?")
        args.append(since_utc)
    if until_utc:
        where.append("c.at_utc < ?")
        args.append(until_utc)
    if channels:
        where.append(f"c.channel IN ({', '.join('?' * len(channels))})")
        args.extend(channels)
    if bank is not None:
        where.append("cards.bank = ?")
        args.append(bank)
    # The corrected view is filtered in Python below rather than in SQL: amendments and
    # withdrawals are few, and a NOT EXISTS per row costs more than reading their short lists.
    # But the latest N must be N that count, so then the filter goes into the SQL too.
    latest_of: dict[int, int] = {}
    if not history:
        latest_of = dict(
            store.conn.execute(
                "SELECT amends, MAX(id) FROM contacts WHERE amends IS NOT NULL GROUP BY amends"
            ).fetchall()
        )
    out_of_counts = withdrawals(store.conn)
    if latest is not None and not history and (latest_of or out_of_counts):
        where.append(_CURRENT)
    picked = ", ".join(f"c.{k}" for k in ("id", "amends", *columns)) if columns else "c.*"
    sql = (
        f"SELECT {picked}, c.id AS row_id, COALESCE(c.amends, c.id) AS root, cards.bank, "
        "cards.last4, cards.currency FROM contacts c JOIN cards ON cards.id = c.card_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    if latest is not None:
        # The most recent `latest`, still returned oldest first.
        sql = f"SELECT * FROM ({sql} ORDER BY c.at_utc DESC, c.id DESC LIMIT {int(latest)}) "
        sql += "ORDER BY at_utc, id"
    else:
        sql += " ORDER BY c.at_utc, c.id"
    cur = store.conn.execute(sql, args)
    cur.row_factory = None
    names = [d[0] for d in cur.description]
    for values in cur:
        d = dict(zip(names, values, strict=True))
        root = d["root"]
        if not history:
            if latest_of.get(root, d["row_id"]) != d["row_id"]:
                continue  # superseded by a later correction
            if root in out_of_counts:
                continue  # withdrawn: shown only with the history
            d["amended"] = d["amends"] is not None
            d["id"] = root
        elif root in out_of_counts:
            d["withdrawn"] = out_of_counts[root]
        yield d


def contacts(store: Store, **kw: Any) -> list[dict]:
    """iter_contacts as a list, for the many callers that read a page or a card."""
    return list(iter_contacts(store, **kw))


def count_contacts(
    store: Store,
    *,
    card_id: int | None = None,
    history: bool = False,
    since_utc: str | None = None,
    until_utc: str | None = None,
    channels: list[str] | None = None,
) -> int:
    """How many entries contacts() would return (in the corrected view: originals). Counted
    from the indexes alone: all rows, less the (few) corrections."""
    where, args = [], []
    for cond, value in (
        ("c.card_id = ?", card_id),
        ("c.at_utc >= ?", since_utc),
        ("c.at_utc < ?", until_utc),
    ):
        if value is not None:
            where.append(cond)
            args.append(value)
    if channels:
        where.append(f"c.channel IN ({', '.join('?' * len(channels))})")
        args.extend(channels)
    sql = "SELECT COUNT(*) FROM contacts c" + (" WHERE " + " AND ".join(where) if where else "")
    total = int(store.conn.execute(sql, args).fetchone()[0])
    if history:
        return total
    # Corrections through the amends index: "+" keeps SQLite from walking the card's rows.
    unindexed = [w.replace("c.", "+c.", 1) for w in where]
    # INDEXED BY: without statistics the planner reads "amends IS NOT NULL" as unselective and
    # scans the whole table (17 ms at 100,000 entries, against 0.01 ms through the index).
    corrections = (
        "SELECT COUNT(*) FROM contacts c INDEXED BY contacts_amends WHERE "
        + " AND ".join(["c.amends IS NOT NULL", *unindexed])
    )
    withdrawn = "SELECT COUNT(*) FROM withdrawals w JOIN contacts c ON c.id = w.contact_id" + (
        " WHERE " + " AND ".join(where) if where else ""
    )
    return (
        total
        - int(store.conn.execute(corrections, args).fetchone()[0])
        - int(store.conn.execute(withdrawn, args).fetchone()[0])
    )


def withdrawals(conn: sqlite3.Connection) -> dict[int, dict[str, str]]:
    """Every withdrawn entry (its original's id): {"at", "why"}. Few: read whole."""
    return {
        r[0]: {"at": r[1], "why": r[2]}
        for r in conn.execute("SELECT contact_id, at, why FROM withdrawals ORDER BY contact_id")
    }


def contact_card(conn: sqlite3.Connection, entry_id: int) -> int | None:
    row = conn.execute("SELECT card_id FROM contacts WHERE id = ?", (entry_id,)).fetchone()
    return row[0] if row else None


def count_withdrawn(conn: sqlite3.Connection, card_id: int | None = None) -> int:
    """How many entries (of a card) are withdrawn."""
    if card_id is None:
        return int(conn.execute("SELECT COUNT(*) FROM withdrawals").fetchone()[0])
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM withdrawals w JOIN contacts c ON c.id = w.contact_id "
            "WHERE c.card_id = ?",
            (card_id,),
        ).fetchone()[0]
    )


def withdrawal_rows(conn: sqlite3.Connection) -> list[tuple[int, str, str, int | None, bool]]:
    """(entry, at, why, the entry's amends, whether the entry exists) of every withdrawal, for
    verification: debtcli withdraws only originals that exist."""
    return [
        (r[0], r[1], r[2], r[3], bool(r[4]))
        for r in conn.execute(
            "SELECT w.contact_id, w.at, w.why, c.amends, c.id IS NOT NULL FROM withdrawals w "
            "LEFT JOIN contacts c ON c.id = w.contact_id ORDER BY w.contact_id"
        )
    ]


def withdraw(conn: sqlite3.Connection, ids: list[int], at: str, why: str) -> None:
    """Withdraw entries (originals' ids), inside the caller's write."""
    conn.executemany("INSERT INTO withdrawals VALUES (?, ?, ?)", [(i, at, why) for i in ids])


def import_entries(conn: sqlite3.Connection, run: int) -> list[int] | None:
    """The entries an import run logged, or None when there is no such run."""
    if conn.execute("SELECT 1 FROM imports WHERE id = ?", (run,)).fetchone() is None:
        return None
    return [
        r[0]
        for r in conn.execute(
            "SELECT contact_id FROM imported WHERE import_id = ? ORDER BY contact_id", (run,)
        )
    ]


def with_file_names(conn: sqlite3.Connection, rows: list[dict]) -> list[dict]:
    """rows (contacts() rows) each with "files": the names of its version's attachments, so
    that what was kept is shown beside the entry (a page of rows: one query)."""
    atts = attachments_for(conn, ids=[r.get("row_id", r["id"]) for r in rows]) if rows else {}
    for r in rows:
        r["files"] = [a["name"] for a in atts.get(r.get("row_id", r["id"]), [])]
    return rows


def attachments_for(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    lo: int | None = None,
    hi: int | None = None,
) -> dict[int, list]:
    """Attachments by entry id: of the given ids, of entries lo <= id < hi, or of all."""
    sql = "SELECT * FROM contact_attachments"
    args: list = []
    if ids is not None:
        sql += f" WHERE contact_id IN ({', '.join('?' * len(ids))})"
        args = ids
    elif lo is not None:
        sql += " WHERE contact_id >= ? AND contact_id < ?"
        args = [lo, hi if hi is not None else 1 << 62]
    out: dict[int, list] = {}
    for a in conn.execute(sql + " ORDER BY contact_id, position", args):
        out.setdefault(a["contact_id"], []).append(dict(a))
    return out


def agent_names(conn: sqlite3.Connection) -> set[str]:
    """Every agent name in the log (a redacted bundle hides them wherever they appear)."""
    return {r[0] for r in conn.execute("SELECT DISTINCT agent FROM contacts WHERE agent != ''")}


def chain_links(conn: sqlite3.Connection) -> Iterator[list]:
    """[id, prev_hash, hash, card_id] of every entry, in order."""
    for r in conn.execute("SELECT id, prev_hash, hash, card_id FROM contacts ORDER BY id"):
        yield list(r)


def iter_chain(
    conn: sqlite3.Connection,
    *,
    card_id: int | None = None,
    page: int = 2000,
) -> Iterator[tuple[dict, list]]:
    """Every stored entry (of one card, or all) in id order with its attachments, read in pages
    of ids: a million entries never sit in memory."""
    last = 0
    where = "AND card_id = ?" if card_id is not None else ""
    args: tuple = (card_id,) if card_id is not None else ()
    while True:
        cur = conn.execute(
            f"SELECT * FROM contacts WHERE id > ? {where} ORDER BY id LIMIT ?", (last, *args, page)
        )
        cur.row_factory = None  # plain tuples, zipped with the names: faster than sqlite3.Row
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur]
        if not rows:
            return
        lo, hi = rows[0]["id"], rows[-1]["id"] + 1
        atts = attachments_for(conn, lo=lo, hi=hi)
        for r in rows:
            yield r, atts.get(r["id"], [])
        last = rows[-1]["id"]


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})"


def evidence_pairs(
    store: Store,
    card_id: int,
    after_utc: str,
    pairs: list[dict],
    parties: list[str],
    before_utc: str = _END_OF_TIME,
) -> list:
    """Which of the pack's evidence rules ({channel} or {party}) the log shows after a date,
    by the creditor's side (`parties`): one indexed EXISTS per rule, so status stays fast on
    a long log."""
    found = []
    for rule in pairs:
        col = "channel" if "channel" in rule else "party"
        hit = store.conn.execute(
            f"SELECT c.channel, c.party FROM contacts c WHERE c.card_id = ? AND c.{col} = ? "
            f"AND c.at_utc > ? AND c.at_utc < ? AND {_REACHED} AND {_in('c.party', parties)} "
            f"AND {_CURRENT} LIMIT 1",
            (card_id, rule[col], after_utc, before_utc, *parties),
        ).fetchone()
        if hit:
            found.append((hit["channel"], hit["party"]))
    return found


def notice_days(
    store: Store,
    card_id: int,
    after_utc: str,
    channels: list[str],
    parties: list[str],
    before_utc: str = _END_OF_TIME,
) -> list[tuple]:
    """(local day, channel, answered, count) of incoming contacts to the cardholder in person
    that could be collection notices."""
    rows = store.conn.execute(
        f"SELECT substr(c.at, 1, 10) AS day, c.channel, c.answered, COUNT(*) AS n "
        f"FROM contacts c WHERE c.card_id = ? AND c.at_utc > ? AND c.at_utc < ? "
        f"AND {_TO_CARDHOLDER} "
        f"AND c.channel IN ({', '.join('?' * len(channels))}) "
        f"AND c.party IN ({', '.join('?' * len(parties))}) AND {_CURRENT} "
        f"GROUP BY day, c.channel, c.answered",
        (card_id, after_utc, before_utc, *channels, *parties),
    ).fetchall()
    from datetime import date

    return [(date.fromisoformat(r["day"]), r["channel"], r["answered"], r["n"]) for r in rows]


def first_notice(
    store: Store,
    card_id: int,
    start_utc: str,
    channels: list[str],
    parties: list[str],
    before_utc: str = _END_OF_TIME,
) -> tuple | None:
    """Like notice_days, but only the earliest notice by one of `channels` from `start_utc`:
    (day, channel, answered, 1). A few of these find the first pair of notices without reading
    every contact, so `status` costs the same on 100,000 entries as on none."""
    from datetime import date

    row = store.conn.execute(
        f"SELECT c.at, c.channel, c.answered FROM contacts c WHERE c.card_id = ? "
        f"AND c.at_utc >= ? AND c.at_utc < ? AND {_REACHED} "
        f"AND c.channel IN ({', '.join('?' * len(channels))}) "
        f"AND c.party IN ({', '.join('?' * len(parties))}) AND {_CURRENT} "
        f"ORDER BY c.at_utc LIMIT 1",
        (card_id, start_utc, before_utc, *channels, *parties),
    ).fetchone()
    if row is None:
        return None
    return (date.fromisoformat(row["at"][:10]), row["channel"], row["answered"], 1)


def last_demand(
    store: Store, card_id: int, parties: list[str], before_utc: str = _END_OF_TIME
) -> str | None:
    """The local day of the last demand by a creditor (`parties`) that reached the cardholder:
    it restarts the limitation period. An impostor's call, a missed call and a call to the
    family restart nothing."""
    row = store.conn.execute(
        f"SELECT c.at FROM contacts c WHERE c.card_id = ? AND c.at_utc < ? AND {_REACHED} "
        f"AND {_in('c.party', parties)} AND {_CURRENT} ORDER BY c.at_utc DESC LIMIT 1",
        (card_id, before_utc, *parties),
    ).fetchone()
    return row[0][:10] if row else None


def last_payment(store: Store, card_id: int, through: str = _END_OF_TIME) -> str | None:
    """The day of the card's latest payment (a part-payment acknowledges the debt), up to the
    day `through` (YYYY-MM-DD)."""
    row = store.conn.execute(
        "SELECT MAX(paid_on) FROM payments WHERE card_id = ? AND voided_at IS NULL "
        "AND paid_on <= ?",
        (card_id, through),
    ).fetchone()
    return row[0] if row else None


# --- small settings kept in the store (the sender profile for letters) -------------------------


def get_meta_json(store: Store, key: str) -> dict:
    import json

    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else {}


def set_meta_json(store: Store, key: str, value: dict) -> None:
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    with store.write() as c:
        c.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
            (key, text, text),
        )


# --- installment agreements the bank granted --------------------------------------------------


def add_agreement(store: Store, fields: dict, now: str) -> int:
    with store.write() as c:
        cur = c.execute(
            "INSERT INTO agreements (card_id, episode_id, agreed_on, months, monthly, first_due, "
            "reduction, note, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                fields["card_id"],
                fields["episode_id"],
                fields["agreed_on"],
                fields["months"],
                fields["monthly"],
                fields["first_due"],
                fields.get("reduction"),
                fields.get("note"),
                now,
            ),
        )
        return int(cur.lastrowid or 0)


def current_agreement(store: Store, card_id: int, episode_id: int | None) -> sqlite3.Row | None:
    """The latest agreement made for this episode."""
    if episode_id is None:
        return None
    return store.conn.execute(
        "SELECT * FROM agreements WHERE card_id = ? AND episode_id = ? ORDER BY id DESC LIMIT 1",
        (card_id, episode_id),
    ).fetchone()


def agreements(store: Store, card_id: int | None = None) -> list[sqlite3.Row]:
    sql = "SELECT * FROM agreements"
    args: tuple[int, ...] = ()
    if card_id is not None:
        sql, args = sql + " WHERE card_id = ?", (card_id,)
    return store.conn.execute(sql + " ORDER BY id", args).fetchall()


# --- trusted timestamps of the chain head (debtcli.stamps) -----------------------------------


def add_tsa(store: Store, url: str, ca_pem: str | None, now: str) -> None:
    """Remember a timestamp authority (and the root it is pinned to, if given). A TSA whose
    tokens were checked against one root is not silently pinned to another."""
    with store.write() as c:
        had = c.execute("SELECT ca_pem FROM tsas WHERE url = ?", (url,)).fetchone()
        stamped = c.execute(
            "SELECT 1 FROM stamps WHERE tsa = ? AND token IS NOT NULL LIMIT 1", (url,)
        ).fetchone()
        if had and had[0] and ca_pem and had[0].strip() != ca_pem.strip() and stamped:
            from debtcli.errors import BadInput

            raise BadInput(
                f"{url} is already pinned to another root, against which its timestamps were "
                "checked; nothing was changed (a TSA with a new root: give its new address)",
                f"{url} 已固定为另一个根证书，其时间戳均按该证书校验；未做任何修改（如时间戳服务换了根证书，"
                "请使用它的新地址）",
            )
        c.execute(
            "INSERT INTO tsas VALUES (?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "ca_pem = COALESCE(excluded.ca_pem, tsas.ca_pem)",
            (url, ca_pem, now),
        )
        ensure_stamp_requests(c, now)


def tsas(conn: sqlite3.Connection) -> dict[str, str | None]:
    return {r[0]: r[1] for r in conn.execute("SELECT url, ca_pem FROM tsas ORDER BY url")}


def _request(conn: sqlite3.Connection, url: str, count: int, head: str, now: str) -> None:
    import secrets

    conn.execute(
        "INSERT INTO stamps (tsa, chain_count, chain_head, requested_at, request_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (url, count, head, now, secrets.token_hex(16)),
    )


def queue_stamps(conn: sqlite3.Connection, count: int, head: str, now: str) -> int:
    """Inside a write: one pending request per TSA, for the newest head (a stamp covers every
    entry before it, so older pending heads are replaced). Returns how many were queued."""
    urls = [r[0] for r in conn.execute("SELECT url FROM tsas")]
    for url in urls:
        conn.execute("DELETE FROM stamps WHERE token IS NULL AND tsa = ?", (url,))
        _request(conn, url, count, head, now)
    return len(urls)


def pending_stamps(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM stamps WHERE token IS NULL ORDER BY id").fetchall()


def ensure_stamp_requests(conn: sqlite3.Connection, now: str) -> list[dict]:
    """Inside a write: a pending request, per TSA, for the head when none of its tokens covers
    it and none is queued; then every pending request."""
    count, head, _ = chain_state(conn)
    conn.execute(  # a request restored from an export made before request ids
        "UPDATE stamps SET request_id = lower(hex(randomblob(16))) "
        "WHERE token IS NULL AND request_id IS NULL"
    )
    covered = dict(
        conn.execute(
            "SELECT tsa, MAX(chain_count) FROM stamps WHERE token IS NOT NULL GROUP BY tsa"
        ).fetchall()
    )
    queued = {r["tsa"] for r in pending_stamps(conn)}
    for url in tsas(conn):
        if count and url not in queued and covered.get(url, 0) < count:
            _request(conn, url, count, head, now)
    return [dict(r) for r in pending_stamps(conn)]


def record_stamp(
    conn: sqlite3.Connection,
    request: dict,
    token: bytes | None,
    gen_time: str | None,
    error: str | None,
) -> None:
    """A pending request answered (its token, as received) or failed (why, for status). The
    token lands on the request it answers, found by the request's own id; when a newer head
    has replaced that request meanwhile, the token (still proof of the older head) is kept in
    a row of its own. The row of a token is never changed again (the token is evidence)."""
    done = conn.execute(
        "UPDATE stamps SET token = ?, gen_time = ?, error = ? "
        "WHERE request_id = ? AND token IS NULL",
        (token, gen_time, error, request["request_id"]),
    ).rowcount
    if not done and token is not None:
        conn.execute(
            "INSERT INTO stamps (tsa, chain_count, chain_head, requested_at, token, gen_time) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                request["tsa"],
                request["chain_count"],
                request["chain_head"],
                request["requested_at"],
                token,
                gen_time,
            ),
        )


def stamp_tokens(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT s.*, t.ca_pem FROM stamps s LEFT JOIN tsas t ON t.url = s.tsa "
        "WHERE s.token IS NOT NULL ORDER BY s.id"
    ).fetchall()


def stamp_reach(conn: sqlite3.Connection) -> dict[str, int]:
    """Per configured TSA, the most entries any of its tokens or pending requests covers."""
    return dict(
        conn.execute(
            "SELECT t.url, COALESCE(MAX(s.chain_count), 0) FROM tsas t "
            "LEFT JOIN stamps s ON s.tsa = t.url GROUP BY t.url"
        ).fetchall()
    )


def stamps_pending(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM stamps WHERE token IS NULL LIMIT 1").fetchone() is not None


def unstamped(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """With a TSA configured: how many entries no token covers yet, and when the first of
    them was recorded."""
    if conn.execute("SELECT 1 FROM tsas LIMIT 1").fetchone() is None:
        return 0, None
    covered = conn.execute(
        "SELECT COALESCE(MAX(chain_count), 0) FROM stamps WHERE token IS NOT NULL"
    ).fetchone()[0]
    row = conn.execute(
        "SELECT COUNT(*), MIN(recorded_at) FROM contacts WHERE id > ?", (covered,)
    ).fetchone()
    return int(row[0]), row[1]


# --- the number book (debtcli.phone) ------------------------------------------------------------


def add_number(
    store: Store,
    number: str,
    card_id: int | None,
    bank: str | None,
    org: str | None,
    party: str | None,
    now: str,
) -> None:
    with store.write() as c:
        c.execute(
            "INSERT INTO numbers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE "
            "SET card_id = excluded.card_id, bank = excluded.bank, org = excluded.org, "
            "party = excluded.party",
            (number, card_id, bank, org, party, now),
        )


def number_book(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute("SELECT * FROM numbers ORDER BY number")]


def numbers_logged(conn: sqlite3.Connection) -> Iterator[tuple[str, str | None, str, int]]:
    """(phone as typed, org, party, card_id) of every logged contact with a number that a
    person gave or confirmed, oldest first: what the log has learned about each number. An
    entry an import logged in bulk (--yes) teaches nothing: a message taken in by mistake must
    not make its sender known; a correction of it (log amend) is the user's word, and does."""
    yield from conn.execute(
        "SELECT phone, org, party, card_id FROM contacts c WHERE phone IS NOT NULL "
        "AND phone != '' AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.contact_id = "
        "COALESCE(c.amends, c.id)) AND NOT EXISTS (SELECT 1 FROM imported i JOIN imports r ON "
        "r.id = i.import_id WHERE i.contact_id = c.id AND r.reviewed = 0) "
        "ORDER BY id"
    )


def record_import(
    conn: sqlite3.Connection, kind: str, source: str, reviewed: bool, at: str, ids: list[int]
) -> int:
    """A phone import's run and the entries it logged (inside the caller's write)."""
    run = conn.execute(
        "INSERT INTO imports (kind, source, at, reviewed) VALUES (?, ?, ?, ?)",
        (kind, source, at, int(reviewed)),
    ).lastrowid
    assert run is not None
    conn.executemany("INSERT INTO imported VALUES (?, ?)", [(i, run) for i in ids])
    return run


def orphan_attachments(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Attachment rows of no entry: covered by no hash, they would vouch for any file."""
    return [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT contact_id, sha256 FROM contact_attachments WHERE contact_id NOT IN "
            "(SELECT id FROM contacts) ORDER BY contact_id, position"
        )
    ]


_WITHDRAWN = "EXISTS (SELECT 1 FROM withdrawals w WHERE w.contact_id = COALESCE(c.amends, c.id))"


def _which(withdrawn: bool | None) -> str:
    """The condition for entries withdrawn (True), not withdrawn (False), or all (None)."""
    return {None: "1", True: _WITHDRAWN, False: f"NOT {_WITHDRAWN}"}[withdrawn]


def logged_attachment_hashes(conn: sqlite3.Connection, withdrawn: bool | None = None) -> set[str]:
    """The files attached to logged entries (of withdrawn ones, or of the others)."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT a.sha256 FROM contact_attachments a JOIN contacts c "
            f"ON c.id = a.contact_id WHERE {_which(withdrawn)}"
        )
    }


def logged_messages(
    conn: sqlite3.Connection, withdrawn: bool | None = None
) -> Iterator[tuple[str | None, str, str | None]]:
    """(phone, at_utc, note) of every logged SMS (withdrawn, or not): an imported message
    already there is skipped."""
    yield from conn.execute(
        f"SELECT phone, at_utc, note FROM contacts c WHERE channel = 'sms' AND {_which(withdrawn)}"
    )


def contact_tallies(conn: sqlite3.Connection, card_ids: list[int]) -> dict[str, list[tuple]]:
    """A long log in a few lines: contacts per month and channel, and per organisation."""
    marks = ", ".join("?" * len(card_ids))
    where = f"c WHERE c.card_id IN ({marks}) AND {_CURRENT}"
    return {
        "months": conn.execute(
            f"SELECT substr(at, 1, 7) AS m, channel, COUNT(*) FROM contacts "
            f"{where} GROUP BY m, channel ORDER BY m, channel",
            card_ids,
        ).fetchall(),
        "orgs": conn.execute(
            f"SELECT COALESCE(org, party), COUNT(*) AS n FROM contacts {where} "
            "GROUP BY 1 ORDER BY n DESC LIMIT 50",
            card_ids,
        ).fetchall(),
    }
