"""Reading one export file into DuckDB as text columns named canonically.

What real exports throw at us: GBK or UTF-8 (with or without BOM), title rows above the header,
Chinese or English headers with stray spaces and full-width characters, `.xlsx` or `.csv`.
Reading is vectorised: DuckDB parses CSV (after a block-wise transcode to UTF-8 when needed) and
calamine parses XLSX into Arrow columns; no Python loop runs per data row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .catalog import Source
from .profiles import Profile, recognise
from .rosters import Inferred, infer

HEADER_SCAN_ROWS = 30
SNIFF_BYTES = 256 * 1024
TRANSCODE_BLOCK = 4 * 1024 * 1024
SPARE_COLUMNS = 8


class RejectedFile(Exception):
    """The whole file cannot be used; the message says why (in Chinese, for the load log)."""


@dataclass
class HeaderInfo:
    """What the header row and the lines above it told us."""

    row_index: int  # 0-based index of the header among the rows scanned
    positions: dict[int, str]  # cell position -> canonical column
    written: dict[str, str]  # canonical column -> header as written (or how it was inferred)
    cells: list[str]  # the header row as written
    title: str = ""  # text of the rows above the header
    unused: list[str] = field(default_factory=list)  # headers not mapped (or superseded by a preferred one)
    profile: Profile | None = None
    inferred: list[Inferred] = field(default_factory=list)

    @property
    def profile_name(self) -> str:
        return self.profile.name if self.profile else "generic"


@dataclass
class ReadResult:
    relation_name: str  # a DuckDB temp view/table with _row_number + canonical text columns
    columns: dict[str, str]  # canonical name -> header as written in the file
    encoding: str
    header_row: int  # 1-based physical row of the header
    scale: dict[str, float] = field(default_factory=dict)  # canonical -> factor for the alias used
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (data row number, raw line)
    temp_files: list[Path] = field(default_factory=list)
    header: HeaderInfo | None = None  # profile, unused headers, title, inferred roster metadata


def normalize_header(text: object) -> str:
    """Fold full-width characters, drop whitespace and surrounding quotes, lower-case ASCII."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s).strip("\"'").lower()
    return s.rstrip("*")


def alias_index(source: Source) -> dict[str, tuple[str, int]]:
    """Normalised header -> (canonical column, preference rank)."""
    index: dict[str, tuple[str, int]] = {}
    for col in source.columns:
        for rank, alias in enumerate(col.aliases):
            index.setdefault(normalize_header(alias), (col.name, rank))
    return index


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not) when the bytes decode as such, else the best Chinese guess (GB18030)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    guess = (best.encoding if best else "gb18030").lower().replace("-", "_")
    if guess in {"gb2312", "gbk", "gb18030", "hz", "cp936"} or best is None:
        return "gb18030"
    if guess.startswith("utf_16"):
        return "utf-16"
    if guess in {"big5", "big5hkscs", "cp950"}:
        return "big5"
    # Chinese exports are GB-family in practice; a Latin guess on GB bytes is a known mis-detection.
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return best.encoding


def _looks_like(rows: list[list[object]], source: Source) -> str:
    """A hint naming the source whose headers the file carries, when it is not this one."""
    from .catalog import SOURCES

    best_name, best_score = None, 1
    for other in SOURCES.values():
        if other.name == source.name:
            continue
        index = alias_index(other)
        for row in rows[:HEADER_SCAN_ROWS]:
            score = len({index[h][0] for h in (normalize_header(c) for c in row) if h in index})
            if score > best_score and all(k in {index[normalize_header(c)][0] for c in row if normalize_header(c) in index}
                                          for k in other.required):
                best_name, best_score = other, score
    if best_name is None:
        return ""
    return f"；该文件看起来是「{best_name.title}」导出，应放在 {best_name.name}/ 目录"


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _with_merged_above(rows: list[list[object]], i: int) -> list[object]:
    """Row i, its empty cells taken from the row above (a header cell merged over two rows)."""
    row = list(rows[i])
    if i == 0:
        return row
    above = rows[i - 1]
    return [above[p] if _blank(c) and p < len(above) and not _blank(above[p]) and any(not _blank(x) for x in row) else c
            for p, c in enumerate(row)]


def _find_header(rows: list[list[object]], source: Source, file_name: str = "") -> HeaderInfo:
    """Pick the header row: the one whose cells name the most columns of this source; then check
    that the source's key columns are there (in the header, or inferred from the title or name)."""
    index = alias_index(source)
    best: tuple[int, int, dict[int, str], dict[str, str], list[object]] | None = None
    for i in range(min(len(rows), HEADER_SCAN_ROWS)):
        for cells in (rows[i], _with_merged_above(rows, i)):
            chosen: dict[str, tuple[int, int, str]] = {}
            for pos, cell in enumerate(cells):
                hit = index.get(normalize_header(cell))
                if hit is None:
                    continue
                name, rank = hit
                if name not in chosen or rank < chosen[name][1]:
                    chosen[name] = (pos, rank, str(cell))
            score = len(chosen)
            if score and (best is None or score > best[1]):
                best = (i, score, {p: n for n, (p, _, _) in chosen.items()}, {n: w for n, (_, _, w) in chosen.items()}, cells)
    if best is None or best[1] < min(2, len(source.columns)):
        raise RejectedFile(f"未找到可识别的表头：前 {HEADER_SCAN_ROWS} 行中没有一行包含「{source.title}」的列名"
                           + _looks_like(rows, source))
    row_index, _, positions, written, cells = best
    header_cells = ["" if _blank(c) else str(c).strip() for c in cells]
    title = " ".join(str(c).strip() for r in rows[:row_index] for c in r if not _blank(c))
    unused = []
    for pos, cell in enumerate(header_cells):
        if not cell or pos in positions:
            continue
        hit = index.get(normalize_header(cell))
        unused.append(f"{cell}（同义列，已用「{written[hit[0]]}」）" if hit else cell)
    info = HeaderInfo(row_index, positions, written, header_cells, title, unused, recognise(source, header_cells))
    info.inferred = infer(source, set(positions.values()), title, file_name)
    for item in info.inferred:
        written[item.column] = f"{source.column(item.column).aliases[0]}（{item.origin}推断）"
    present = set(positions.values()) | {i.column for i in info.inferred}
    missing = [c for c in source.required
               if c not in present and not (c in source.fallback_key and present.issuperset(source.fallback_key[c]))]
    for group in source.required_any:
        if not present.intersection(group):
            missing.append("/".join(group))
    if missing:
        names = "、".join(
            "/".join(f"{c}（{source.column(c).aliases[0]}）" for c in m.split("/")) for m in missing
        )
        hint = "（表头、标题行和文件名中都没有）" if source.name in ("srdi", "ip_advantage", "hightech") else ""
        raise RejectedFile(f"缺少「{source.title}」的关键列：{names}{hint}"
                           + (_looks_like(rows, source) or f"；该文件可能不属于 {source.name}/ 目录"))
    return info


def _sniff_csv(text: str) -> tuple[str, list[list[str]]]:
    """Choose the delimiter under which the first lines split most consistently."""
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 5]
    best: tuple[int, str, list[list[str]]] | None = None
    for delim in (",", "\t", ";", "|"):
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
        widest = max((len(r) for r in rows), default=0)
        if best is None or widest > best[0]:
            best = (widest, delim, rows)
    assert best is not None
    return best[1], best[2]


def _transcode_to_utf8(path: Path, encoding: str, target: Path) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while block := src.read(TRANSCODE_BLOCK):
            dst.write(decoder.decode(block))
        dst.write(decoder.decode(b"", final=True))


def read_csv_file(con: duckdb.DuckDBPyConnection, path: Path, source: Source, view: str, tmp_dir: Path) -> ReadResult:
    with path.open("rb") as f:
        sample = f.read(SNIFF_BYTES)
    if b"\x00" in sample[:4096] and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RejectedFile("不是文本格式的 CSV 文件（含二进制内容）")
    if sample.startswith(b"PK\x03\x04"):
        raise RejectedFile("文件扩展名为 .csv，但内容是压缩包/Excel 文件")
    encoding = detect_encoding(sample)
    text = sample.decode(encoding if encoding != "utf-8" else "utf-8", errors="replace")
    if encoding == "utf-8-sig":
        text = text.lstrip("\ufeff")
    delim, rows = _sniff_csv(text)
    info = _find_header(rows, source, path.name)
    header_idx, positions, written = info.row_index, info.positions, info.written

    temp_files: list[Path] = []
    csv_path = path
    if encoding not in ("utf-8", "utf-8-sig"):
        csv_path = tmp_dir / f"{view}.utf8.csv"
        _transcode_to_utf8(path, encoding, csv_path)
        temp_files.append(csv_path)

    width = max(len(rows[header_idx]), max(positions) + 1)
    # Read a few spare columns beyond the header: a row that fills any of them has more fields than
    # the header and is quarantined whole (DuckDB would otherwise cut it silently).
    read_width = width + SPARE_COLUMNS
    col_types = {f"c{i}": "VARCHAR" for i in range(read_width)}
    # The header is located by parsing the first lines with Python's csv module; DuckDB then skips
    # exactly those physical lines. Quoted newlines above the header are not supported (never seen).
    skip_lines = header_idx + 1
    rejects = f"{view}_rejects"
    scan = f"{view}_scan"
    every = f"{view}_all"
    con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {scan}")
    # Rows are numbered in file order (DuckDB preserves insertion order for a single CSV scan).
    scan_sql = f"""
        CREATE OR REPLACE TEMP TABLE {every} AS
        SELECT row_number() OVER () AS _row_number, *
        FROM read_csv(?, delim=?, quote='"', escape='"', header=false, skip={skip_lines},
                      columns={col_types!r}, null_padding=true, ignore_errors=true, strict_mode=false,
                      auto_detect=false, store_rejects=true, rejects_table='{rejects}', rejects_scan='{scan}'PARALLEL_OPTION)
        """
    try:
        con.execute(scan_sql.replace("PARALLEL_OPTION", ""), [str(csv_path), delim])
    except duckdb.Error as exc:
        # A quoted cell holding line breaks (the legal-status history of CNIPR/CNIPA exports):
        # DuckDB's parallel scanner cannot pad such rows, the single-threaded one can.
        if "quoted new lines" not in str(exc):
            raise
        con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {scan}")
        con.execute(scan_sql.replace("PARALLEL_OPTION", ", parallel=false"), [str(csv_path), delim])
    unparsable = [
        (int(line) - skip_lines, str(raw))
        for line, raw in con.execute(f"SELECT DISTINCT line, csv_line FROM {rejects} ORDER BY line").fetchall()
    ]
    if unparsable:
        _renumber_around_rejects(con, every, [m[0] for m in unparsable])
    spare = " OR ".join(f"c{i} IS NOT NULL" for i in range(width, read_width))
    too_wide = con.execute(
        f"SELECT _row_number, concat_ws(?, {', '.join(f'c{i}' for i in range(read_width))}) FROM {every} "
        f"WHERE {spare} ORDER BY _row_number",
        [delim],
    ).fetchall()
    con.execute(
        f"""CREATE TEMP TABLE {view} AS
            SELECT _row_number, {", ".join(f'c{p} AS "{n}"' for p, n in positions.items())}
            FROM {every} WHERE NOT ({spare})"""
    )
    con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {scan}; DROP TABLE IF EXISTS {every}")
    malformed = sorted(unparsable + [(int(n), str(raw)) for n, raw in too_wide])
    scale = {name: source.column(name).scale.get(written[name], 1.0) for name in positions.values()}
    _add_inferred(con, view, info)
    return ReadResult(view, written, encoding, header_idx + 1, scale, malformed, temp_files, info)


def _renumber_around_rejects(con: duckdb.DuckDBPyConnection, view: str, rejected: list[int]) -> None:
    """Accepted row p sits after every rejected row r_j with r_j - j < p: shift it by that count."""
    shifts = [r - j for j, r in enumerate(sorted(rejected), start=1)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view}_shifts AS SELECT unnest(?::BIGINT[]) AS s", [shifts])
    con.execute(
        f"""
        UPDATE {view} SET _row_number = _row_number
            + (SELECT count(*) FROM {view}_shifts WHERE s < {view}._row_number)
        """
    )
    con.execute(f"DROP TABLE {view}_shifts")


def _cell_to_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return None
    return str(value)


def _rows_to_view(con: duckdb.DuckDBPyConnection, rows: list[list[object]], source: Source, view: str,
                  file_name: str, encoding: str) -> ReadResult:
    """Rows already parsed (a sheet, a PDF table) -> the canonical text view."""
    info = _find_header(rows, source, file_name)
    header_idx, positions, written = info.row_index, info.positions, info.written
    data = rows[header_idx + 1 :]
    # Drop fully empty trailing rows (Excel often keeps formatted blank rows).
    while data and all(v in (None, "") for v in data[-1]):
        data.pop()
    arrays = {"_row_number": pa.array(range(1, len(data) + 1), pa.int64())}
    for pos, name in positions.items():
        arrays[name] = pa.array([_cell_to_text(r[pos]) if pos < len(r) else None for r in data], pa.string())
    table = pa.table(arrays)
    con.register(f"{view}_arrow", table)
    con.execute(f"CREATE TEMP TABLE {view} AS SELECT * FROM {view}_arrow")
    con.unregister(f"{view}_arrow")
    _add_inferred(con, view, info)
    scale = {name: source.column(name).scale.get(written[name], 1.0) for name in positions.values()}
    return ReadResult(view, written, encoding, header_idx + 1, scale, header=info)


def _add_inferred(con: duckdb.DuckDBPyConnection, view: str, info: HeaderInfo) -> None:
    """Roster metadata inferred from the title or file name becomes a column of every row."""
    if not info.inferred:
        return
    consts = ", ".join(f"?::VARCHAR AS \"{i.column}\"" for i in info.inferred)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT *, {consts} FROM {view}", [i.value for i in info.inferred])


def read_xlsx_file(con: duckdb.DuckDBPyConnection, path: Path, source: Source, view: str) -> ReadResult:
    """.xlsx, .xlsm and .xls (calamine reads all of them)."""
    from python_calamine import CalamineWorkbook

    kind = "xls" if path.suffix.lower() == ".xls" else "xlsx"
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for broken or non-Excel files
        raise RejectedFile(f"无法作为 Excel 文件打开：{exc}") from exc
    last_error: RejectedFile | None = None
    for sheet_name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        if not rows:
            continue
        try:
            return _rows_to_view(con, rows, source, view, path.name, kind)
        except RejectedFile as exc:
            last_error = exc
            continue
    raise last_error or RejectedFile("Excel 文件没有数据")


def read_pdf_file(con: duckdb.DuckDBPyConnection, path: Path, source: Source, view: str) -> ReadResult:
    """An official list published as a PDF attachment: its tables, page after page, as one sheet;
    the text above the first table is the title (level, year, batch, stage may stand there)."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of generated PDFs, not ours to fix
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises several types for broken files
        raise RejectedFile(f"无法作为 PDF 文件打开：{exc}") from exc
    with pdf:
        rows: list[list[object]] = []
        first_row: list[object] = []
        title_lines: list[str] = []
        for page in pdf.pages:
            tables = page.extract_tables()
            if not rows and not tables:
                title_lines += (page.extract_text() or "").splitlines()
                continue
            if not rows and tables:
                text = page.extract_text() or ""
                first_cell = next((c for c in tables[0][0] if c), "") if tables[0] and tables[0][0] else ""
                head = text.split(first_cell, 1)[0] if first_cell and first_cell in text else ""
                title_lines += head.splitlines()
            for table in tables:
                for n, row in enumerate(table):
                    cells = [None if c is None else str(c).replace("\n", "") for c in row]
                    if n == 0 and rows and cells == first_row:
                        continue  # the header repeated at the top of every page
                    if not rows:
                        first_row = cells
                    rows.append(cells)
    if not rows:
        raise RejectedFile("PDF 中没有找到表格（扫描件需先转为文字或 Excel）")
    title_rows = [[line] for line in title_lines if line.strip()]
    return _rows_to_view(con, title_rows + rows, source, view, path.name, "pdf")


def read_file(con: duckdb.DuckDBPyConnection, path: Path, source: Source, view: str, tmp_dir: Path) -> ReadResult:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_file(con, path, source, view, tmp_dir)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return read_xlsx_file(con, path, source, view)
    if suffix == ".pdf":
        return read_pdf_file(con, path, source, view)
    raise RejectedFile(f"不支持的文件类型 {suffix or '(无扩展名)'}：只接受 .csv、.xlsx、.xls 和 .pdf")
