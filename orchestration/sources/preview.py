"""See a file before it counts: what one export would become, without building.

``preview_file`` runs the file through exactly the ingestion path of a build (``ingest._ingest_file``:
reading, profile, column mapping, roster inference, every rule, the outside-the-pack check) on a
private in-memory DuckDB, then reports what was recognised and what would load, be flagged or be
quarantined. ``ipwh check-file`` prints it; the 数据上传 page shows it and, once confirmed, places the
file in the landing folder with ``place_file`` (the sensor or ``ipwh build`` takes it from there).
Nothing is written anywhere before that confirmation.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .catalog import SOURCES, Source
from .filedates import date_from_name, file_as_of
from .ingest import _ingest_file, ensure_tables, inferred_text
from .profiles import describe, recognise
from .reading import HEADER_SCAN_ROWS, RejectedFile, _find_header, _sniff_csv, detect_encoding, sha256_of
from .sql import MACROS

FIRST_REASONS = 10


@dataclass
class Preview:
    file_name: str
    source: str | None
    source_title: str = ""
    status: str = "rejected"  # loaded (would load) or rejected
    message: str = ""
    profile: str = ""  # profile title, in Chinese
    profile_name: str = ""
    encoding: str | None = None
    header_row: int | None = None
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (canonical column, header as written)
    unused_headers: str | None = None
    inferred: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_flagged: int = 0
    quarantine: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # row, column, raw, rule, message
    flags: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    quarantine_by_rule: list[tuple[str, int]] = field(default_factory=list)
    unknown_words: list[tuple[str, str, int]] = field(default_factory=list)  # column, word, rows
    as_of: dt.date | None = None
    as_of_from: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == "loaded"


def _first_rows(path: Path) -> list[list[object]]:
    """The first rows of a file, to choose its source by its header (CSV, Excel; PDF: []).."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as f:
            sample = f.read(256 * 1024)
        encoding = detect_encoding(sample)
        return _sniff_csv(sample.decode(encoding, errors="replace").lstrip("\ufeff"))[1]
    if suffix in (".xlsx", ".xlsm", ".xls"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
            return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)[: HEADER_SCAN_ROWS + 1]
        except Exception:  # noqa: BLE001 - the real read reports it
            return []
    return []


def guess_source(path: Path) -> tuple[str | None, str]:
    """(source, how): the landing sub-folder the file sits in, else the source whose columns its
    header names most (None with the reason when no source fits or two fit equally)."""
    if path.parent.name in SOURCES:
        return path.parent.name, "所在目录"
    rows = _first_rows(path)
    scores: list[tuple[int, str]] = []
    for source in SOURCES.values():
        try:
            info = _find_header(rows, source, path.name)
        except RejectedFile:
            continue
        scores.append((len(info.positions) + len(info.inferred), source.name))
    scores.sort(reverse=True)
    if not scores:
        return None, "表头不属于任何已知来源，请用 --source 指定"
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        both = "、".join(f"{SOURCES[s].title}（{s}）" for _, s in scores[:2])
        return None, f"表头同样符合 {both}，请用 --source 指定"
    return scores[0][1], "表头"


def preview_file(path: Path, source_name: str | None = None, region_pack: str | None = None,
                 display_name: str | None = None) -> Preview:
    """What ``path`` would become in a build (nothing is written outside a temporary folder)."""
    from orchestration.settings import Settings

    path = Path(path)
    name = display_name or path.name
    how = "指定"
    if source_name is None:
        source_name, how = guess_source(path)
        if source_name is None:
            return Preview(name, None, message=how)
    if source_name not in SOURCES:
        return Preview(name, source_name, message=f"未知来源 {source_name}：应为 {', '.join(SOURCES)} 之一")
    source: Source = SOURCES[source_name]
    as_of, as_of_from = file_as_of(path) if date_from_name(name) is None else (date_from_name(name), "file_name")
    preview = Preview(name, source.name, source.title, as_of=as_of, as_of_from=as_of_from)
    con = duckdb.connect()
    tmp_dir = Path(tempfile.mkdtemp(prefix="ipwh-check-"))
    try:
        ensure_tables(con)
        con.execute(MACROS)
        outcome = _ingest_file(con, source, path, f"{source.name}/{name}", as_of, as_of_from,
                               dt.datetime.now().replace(microsecond=0), "check-file", "ipwh_check", tmp_dir,
                               region_pack or Settings().region_pack)
        preview.status, preview.message = outcome.status, outcome.message
        preview.rows_read, preview.rows_loaded, preview.rows_quarantined = (
            outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined)
        log = con.execute("SELECT encoding, header_row, profile, unused_headers, inferred FROM audit.load_log").fetchone()
        preview.encoding, preview.header_row, preview.profile_name, preview.unused_headers, preview.inferred = log
        if outcome.status == "loaded":
            header = outcome.header
            if header is not None:
                preview.mapping = sorted(header.written.items(), key=lambda kv: [c.name for c in source.columns].index(kv[0]))
                preview.profile = describe(header.profile)
                preview.inferred = inferred_text(source, header) if header.inferred else None
        preview.quarantine = con.execute(
            f"SELECT row_number, column_name, raw_value, rule, message FROM audit.quarantine "
            f"ORDER BY row_number, column_name LIMIT {FIRST_REASONS}").fetchall()
        preview.flags = con.execute(
            f"SELECT row_number, column_name, raw_value, rule, message FROM audit.flags "
            f"ORDER BY row_number, column_name LIMIT {FIRST_REASONS}").fetchall()
        preview.rows_flagged = con.execute("SELECT count(DISTINCT row_number) FROM audit.flags").fetchone()[0]
        preview.quarantine_by_rule = con.execute(
            "SELECT rule, count(DISTINCT row_number) FROM audit.quarantine GROUP BY rule ORDER BY 2 DESC, 1").fetchall()
        preview.unknown_words = con.execute(
            "SELECT column_name, raw_value, count(*) FROM audit.quarantine WHERE rule = 'unknown_value' "
            "GROUP BY ALL ORDER BY 3 DESC, 1, 2").fetchall()
    finally:
        con.close()
        shutil.rmtree(tmp_dir, ignore_errors=True)
    if not preview.profile:
        preview.profile = describe(None) if preview.profile_name in ("generic", None) else preview.profile_name
    return preview


def render_text(p: Preview) -> str:
    """The preview as text (ipwh check-file), in Chinese like the load log."""
    lines = [f"文件：{p.file_name}"]
    if p.source is None or p.source not in SOURCES:
        lines.append(f"结果：无法识别来源 —— {p.message}")
        return "\n".join(lines)
    lines.append(f"来源：{p.source_title}（{p.source}/）")
    lines.append(f"截至日期：{p.as_of}（来自{'文件名' if p.as_of_from == 'file_name' else '文件修改时间'}）")
    if not p.accepted:
        lines.append(f"结果：整个文件将被拒收 —— {p.message}")
        return "\n".join(lines)
    lines.append(f"导出格式：{p.profile}；编码 {p.encoding}；表头在第 {p.header_row} 行")
    if p.mapping:
        lines.append("列对应：" + "；".join(f"{col} ← {written}" for col, written in p.mapping))
    if p.unused_headers:
        lines.append(f"未使用的列：{p.unused_headers}")
    if p.inferred:
        lines.append(f"推断的名单信息：{p.inferred}")
    lines.append(f"行数：读取 {p.rows_read}，将加载 {p.rows_loaded}（其中带警告 {p.rows_flagged}），将隔离 {p.rows_quarantined}")
    if p.quarantine_by_rule:
        lines.append("隔离原因：" + "；".join(f"{rule} {n} 行" for rule, n in p.quarantine_by_rule))
    for row, column, raw, rule, message in p.quarantine:
        lines.append(f"  隔离 第 {row} 行 {column} [{rule}]：{message}")
    for row, column, raw, rule, message in p.flags:
        lines.append(f"  警告 第 {row} 行 {column} [{rule}]：{message}")
    if p.unknown_words:
        lines.append("未知词（请确认含义后加入 dbt_project/seeds/value_vocabulary.csv）：")
        for column, word, n in p.unknown_words:
            lines.append(f"  {column}「{word}」{n} 行")
    return "\n".join(lines)


def landing_name(name: str, as_of: dt.date) -> str:
    """The file name in the landing folder: the original name, the as-of date added unless the name
    already carries one (filedates.py reads it back)."""
    if date_from_name(name) is not None:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    return f"{stem}_{as_of:%Y%m%d}{suffix}"


def place_file(path: Path, preview: Preview, landing_dir: Path, as_of: dt.date | None = None) -> Path:
    """Put a previewed, accepted file in ``<landing>/<source>/`` under its dated name. Refuses a
    rejected file and never overwrites a different file of the same name."""
    if not preview.accepted or preview.source not in SOURCES:
        raise ValueError(f"文件「{preview.file_name}」未通过检查，不会放入数据目录：{preview.message}")
    folder = landing_dir / preview.source
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / landing_name(preview.file_name, as_of or preview.as_of or dt.date.today())
    if target.exists():
        if sha256_of(target) == sha256_of(path):
            return target
        raise FileExistsError(f"数据目录中已有同名但内容不同的文件「{target.name}」，请改名后再上传")
    partial = target.with_name("." + target.name + ".part")  # the sensor ignores dot files
    shutil.copyfile(path, partial)
    partial.replace(target)
    return target
