"""Ingest one source folder of the landing area into ``raw.<source>``.

Per file, in as-of order: skip it when its content was loaded before (status ``unchanged``), reject
it whole when it cannot be read (the source's earlier data stays), else parse and validate it in
SQL, quarantine the rows that break a rule, flag the ones loaded with a warning, and replace
whatever an earlier version of the same file had loaded. Every file gets a row in
``audit.load_log`` where rows_read = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.settings import Settings

from .catalog import SOURCES, Source
from .filedates import file_as_of
from .reading import HeaderInfo, RejectedFile, read_file, sha256_of
from .profiles import describe
from .rosters import outside_place, pack_places
from .sql import MACROS, output_columns, parse_select, row_rules_select

log = logging.getLogger(__name__)

BOOKKEEPING = [
    ("_source_file", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_file_as_of", "DATE"),
    ("_loaded_at", "TIMESTAMP"),
]

AUDIT_DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.load_log (
    source VARCHAR, file_name VARCHAR, sha256 VARCHAR, loaded_at TIMESTAMP,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, status VARCHAR, message VARCHAR,
    as_of_date DATE, as_of_from VARCHAR, encoding VARCHAR, header_row INTEGER, run_id VARCHAR
);
-- issue 13: the export profile recognised, the headers not used, roster metadata inferred
ALTER TABLE audit.load_log ADD COLUMN IF NOT EXISTS profile VARCHAR;
ALTER TABLE audit.load_log ADD COLUMN IF NOT EXISTS unused_headers VARCHAR;
ALTER TABLE audit.load_log ADD COLUMN IF NOT EXISTS inferred VARCHAR;
-- a file skipped because another file of its source holds the same content: that file's name
ALTER TABLE audit.load_log ADD COLUMN IF NOT EXISTS same_as VARCHAR;
CREATE TABLE IF NOT EXISTS audit.quarantine (
    source VARCHAR, file_name VARCHAR, row_number BIGINT, column_name VARCHAR, raw_value VARCHAR,
    rule VARCHAR, message VARCHAR
);
CREATE TABLE IF NOT EXISTS audit.flags (
    source VARCHAR, file_name VARCHAR, row_number BIGINT, column_name VARCHAR, raw_value VARCHAR,
    rule VARCHAR, message VARCHAR
);
"""


@dataclass
class FileOutcome:
    file_name: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""
    header: HeaderInfo | None = None  # what the reader recognised (profile, mapping, inferred)


@dataclass
class SourceSummary:
    source: str
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files if f.status == "loaded")

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files if f.status == "loaded")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the audit tables and one raw table per source (empty until a file arrives)."""
    con.execute(AUDIT_DDL)
    for source in SOURCES.values():
        cols = BOOKKEEPING + output_columns(source)
        con.execute(
            f"CREATE TABLE IF NOT EXISTS raw.{source.name} ({', '.join(f'{n} {t}' for n, t in cols)})"
        )
        # a column added since the published warehouse was built (hightech.year, patents.abstract)
        for n, t in cols:
            con.execute(f"ALTER TABLE raw.{source.name} ADD COLUMN IF NOT EXISTS {n} {t}")


def landing_files(landing_dir: Path, source: Source) -> list[tuple[Path, dt.date, str]]:
    """The source's files, in the order they are applied: as-of date, then name."""
    folder = landing_dir / source.name
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        as_of, how = file_as_of(path)
        found.append((path, as_of, how))
    return sorted(found, key=lambda item: (item[1], item[0].name))


def _log(con, source: Source, rel: str, sha: str, loaded_at: dt.datetime, outcome: FileOutcome,
         as_of: dt.date, how: str, encoding: str | None, header_row: int | None, run_id: str,
         header: HeaderInfo | None = None, same_as: str | None = None) -> None:
    con.execute(
        """INSERT INTO audit.load_log (source, file_name, sha256, loaded_at, rows_read, rows_loaded, rows_quarantined,
               status, message, as_of_date, as_of_from, encoding, header_row, run_id, profile, unused_headers, inferred,
               same_as)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [source.name, rel, sha, loaded_at, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
         outcome.status, outcome.message, as_of, how, encoding, header_row, run_id,
         header.profile_name if header else None,
         "、".join(header.unused) if header and header.unused else None,
         inferred_text(source, header) if header and header.inferred else None, same_as],
    )


def inferred_text(source: Source, header: HeaderInfo) -> str:
    """级别=…（来自标题）; 年度=…（来自文件名） in Chinese, for the load log and the preview."""
    return "；".join(i.describe(source.column(i.column).aliases[0]) for i in header.inferred)


def mark_outside_pack(con, source: Source, table: str, region_pack: str) -> None:
    """Rows of a roster whose area is a place outside the region pack (a provincial list's other
    cities) are kept in audit.quarantine (rule outside_pack) and never reach raw.<source>."""
    if "area" not in {c.name for c in source.columns}:
        return
    areas = [a for (a,) in con.execute(f"SELECT DISTINCT area FROM {table} WHERE area IS NOT NULL").fetchall()]
    outside = [(a, place) for a in areas if (place := outside_place(a, region_pack)) is not None]
    if not outside:
        return
    root = pack_places(region_pack)[0]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_outside AS SELECT * FROM (VALUES {', '.join(['(?, ?)'] * len(outside))}) v(area, place)",
                [x for pair in outside for x in pair])
    con.execute(
        f"""UPDATE {table} SET _violations = list_append(_violations, {{'column_name': 'area', 'raw_value': {table}.area,
                'rule': 'outside_pack', 'message': '所属地区「' || {table}.area || '」'
                    || CASE WHEN o.place <> {table}.area THEN '属于' || o.place || '，' ELSE '' END
                    || '不在本区域（{root}）范围内：保留在审计表，不计入'}})
            FROM {table}_outside o WHERE {table}.area = o.area"""
    )
    con.execute(f"DROP TABLE {table}_outside")


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    landing_dir: Path,
    loaded_at: dt.datetime | None = None,
    run_id: str = "",
    region_pack: str | None = None,
) -> SourceSummary:
    region_pack = region_pack or Settings().region_pack
    ensure_tables(con)
    con.execute(MACROS)
    loaded_at = loaded_at or dt.datetime.now().replace(microsecond=0)
    summary = SourceSummary(source.name)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f"ipwh-{source.name}-"))
    try:
        files = [(path, path.relative_to(landing_dir).as_posix(), as_of, how)
                 for path, as_of, how in landing_files(landing_dir, source)]
        # every file's content now, before any is applied: whether a file duplicates another depends
        # on what that other file holds after this ingest, not before it
        in_landing = {rel: sha256_of(path) for path, rel, _, _ in files}
        for n, (path, rel, as_of, how) in enumerate(files):
            outcome = _ingest_file(con, source, path, rel, as_of, how, loaded_at, run_id, f"ipwh_f{n}", tmp_dir,
                                   region_pack, in_landing)
            summary.files.append(outcome)
            log.info("%s %s: %s read=%d loaded=%d quarantined=%d %s", source.name, rel, outcome.status,
                     outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined, outcome.message)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return summary


def loaded_message(source: Source, result) -> str:
    """识别为 <profile>，编码 …，表头在第 n 行[，推断 …] — the load log's message for a loaded file."""
    parts = [f"识别为{describe(result.header.profile if result.header else None)}",
             f"编码 {result.encoding}", f"表头在第 {result.header_row} 行"]
    if result.header and result.header.inferred:
        parts.append("推断 " + inferred_text(source, result.header))
    return "，".join(parts)


def _held(con, source: Source, rel: str):
    """(sha256, rows_read, rows_loaded, rows_quarantined) of the content raw.<source> holds under the
    file ``rel``: its latest load (a rejected later version leaves it in place; an 'unchanged' entry
    loads nothing); None when the file never loaded as itself."""
    return con.execute(
        """SELECT sha256, rows_read, rows_loaded, rows_quarantined FROM audit.load_log
           WHERE source = ? AND file_name = ? AND status = 'loaded'
           ORDER BY loaded_at DESC, rowid DESC LIMIT 1""",
        [source.name, rel],
    ).fetchone()


def _twin(con, source: Source, rel: str, sha: str, in_landing: dict[str, str]) -> str | None:
    """Another file of the source whose rows in raw are this content (the same export saved twice),
    and still will be after this ingest: gone from the landing folder it keeps its rows; there with
    other content it is about to replace them."""
    others = con.execute(
        """SELECT DISTINCT file_name FROM audit.load_log
           WHERE source = ? AND sha256 = ? AND file_name <> ? AND status = 'loaded' ORDER BY file_name""",
        [source.name, sha, rel],
    ).fetchall()
    for (name,) in others:
        held = _held(con, source, name)
        if held[0] == sha and in_landing.get(name, sha) == sha:
            return name
    return None


def _ingest_file(con, source: Source, path: Path, rel: str, as_of: dt.date, how: str, loaded_at: dt.datetime,
                 run_id: str, view: str, tmp_dir: Path, region_pack: str = "puyang",
                 in_landing: dict[str, str] | None = None) -> FileOutcome:
    if in_landing is None:  # one file on its own (check-file's preview)
        in_landing = {rel: sha256_of(path)}
    sha = in_landing[rel]
    held = _held(con, source, rel)
    # Skipped only when what raw holds for this file is this very content: a file put back to a
    # version loaded before (after another version replaced it) is loaded again.
    if held is not None and held[0] == sha:
        outcome = FileOutcome(rel, "unchanged", held[1], held[2], held[3], "内容未变化，未重复加载")
        _log(con, source, rel, sha, loaded_at, outcome, as_of, how, None, None, run_id)
        return outcome
    # A file that never loaded as itself, whose content another file holds (the same export saved
    # twice), is not loaded again; once that file changes, it is. A file that held other rows of its
    # own is loaded (it replaces them; rows are keyed, so two copies count once).
    twin = _twin(con, source, rel, sha, in_landing) if held is None else None
    if twin is not None:
        outcome = FileOutcome(rel, "unchanged", 0, 0, 0, f"内容与已加载的 {twin} 相同，未重复加载")
        _log(con, source, rel, sha, loaded_at, outcome, as_of, how, None, None, run_id, same_as=twin)
        return outcome
    if path.stat().st_size == 0:
        outcome = FileOutcome(rel, "rejected", message="文件为空")
        _log(con, source, rel, sha, loaded_at, outcome, as_of, how, None, None, run_id)
        return outcome

    # Reading only creates this connection's temp tables, so it runs before the transaction (a
    # failed CSV scan aborts the transaction it runs in, and the reader retries it another way).
    try:
        result = read_file(con, path, source, view, tmp_dir)
    except Exception as exc:  # noqa: BLE001 - one unreadable file never stops the others or the build
        for suffix in ("", "_all", "_rejects", "_scan"):
            con.execute(f"DROP TABLE IF EXISTS {view}{suffix}")
        reason = str(exc) if isinstance(exc, RejectedFile) else f"无法读取文件（{type(exc).__name__}: {exc}）"
        log.info("%s %s rejected: %s", source.name, rel, reason)
        outcome = FileOutcome(rel, "rejected", message=reason + "；该来源沿用此前已加载的数据")
        _log(con, source, rel, sha, loaded_at, outcome, as_of, how, None, None, run_id)
        return outcome
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE TEMP TABLE {view}_parsed AS {parse_select(source, result.columns, result.scale, view)}")
        con.execute(f"CREATE TEMP TABLE {view}_checked AS {row_rules_select(source, view + '_parsed')}")
        mark_outside_pack(con, source, f"{view}_checked", region_pack)
        out_cols = [c for c, _ in output_columns(source)]
        # An earlier version of this same file is replaced as a whole.
        for table in (f"raw.{source.name}",):
            con.execute(f"DELETE FROM {table} WHERE _source_file = ?", [rel])
        con.execute("DELETE FROM audit.quarantine WHERE source = ? AND file_name = ?", [source.name, rel])
        con.execute("DELETE FROM audit.flags WHERE source = ? AND file_name = ?", [source.name, rel])
        con.execute(
            f"""INSERT INTO raw.{source.name} ({', '.join(n for n, _ in BOOKKEEPING)}, {', '.join(f'"{c}"' for c in out_cols)})
                SELECT ?, _row_number, ?, ?, {', '.join(f'"{c}"' for c in out_cols)}
                FROM {view}_checked WHERE len(_violations) = 0 ORDER BY _row_number""",
            [rel, as_of, loaded_at],
        )
        for table, column, condition in (("quarantine", "_violations", "true"), ("flags", "_flags", "len(_violations) = 0")):
            con.execute(
                f"""INSERT INTO audit.{table}
                    SELECT ?, ?, _row_number, v.column_name, v.raw_value, v.rule, v.message
                    FROM (SELECT _row_number, unnest({column}) AS v FROM {view}_checked WHERE {condition})
                    ORDER BY _row_number, v.column_name, v.rule""",
                [source.name, rel],
            )
        for row_number, raw_line in result.malformed:
            con.execute(
                "INSERT INTO audit.quarantine VALUES (?, ?, ?, '_row', ?, 'malformed_row', ?)",
                [source.name, rel, row_number, raw_line[:2000], "该行的列数与表头不一致，无法拆分为字段"],
            )
        total, bad = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE len(_violations) > 0) FROM {view}_checked"
        ).fetchone()
        rows_read = total + len(result.malformed)
        rows_quarantined = bad + len(result.malformed)
        outcome = FileOutcome(rel, "loaded", rows_read, rows_read - rows_quarantined, rows_quarantined,
                              loaded_message(source, result), result.header)
        _log(con, source, rel, sha, loaded_at, outcome, as_of, how, result.encoding, result.header_row, run_id, result.header)
        for suffix in ("", "_parsed", "_checked"):
            con.execute(f"DROP TABLE IF EXISTS {view}{suffix}")
        con.execute("COMMIT")
        for tmp in result.temp_files:
            tmp.unlink(missing_ok=True)
        return outcome
    except Exception:
        con.execute("ROLLBACK")
        raise
