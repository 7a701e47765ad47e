"""The monthly 通报 as files: the Word document from the office's template, its charts, the
county-assessment workbook as the attachment, and a PDF when a converter is on the machine.

    write_monthly_briefing(warehouse, period_end, out_dir, focus_code=None) -> BriefingFiles

The DOCX is always written. A missing CJK font leaves the charts out (said in the document and in
`messages`); a missing converter leaves the PDF out (said in `messages`).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..exports import assessment_xlsx, load_county_assessment, NoAssessment, warehouse_reader
from .content import BriefingContent, briefing_content

log = logging.getLogger("ipwh.reports")

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DOCX_TEMPLATE = TEMPLATE_DIR / "monthly_briefing.docx"
HTML_TEMPLATE = TEMPLATE_DIR / "monthly_briefing.html"


@dataclass
class BriefingFiles:
    docx: Path
    xlsx: Path | None = None
    pdf: Path | None = None
    messages: list[str] = field(default_factory=list)  # English, for the command line and logs
    has_data: bool = True


# --- fonts ---------------------------------------------------------------------------------------


def cjk_font_file(kind: str = "sans") -> Path | None:
    """A font file with Chinese glyphs: the Noto CJK fonts the project installs (mplfonts), else
    one that fontconfig knows. None when the machine has none."""
    try:
        import mplfonts

        name = "NotoSansCJKsc-Regular.otf" if kind == "sans" else "NotoSerifCJKsc-Regular.otf"
        path = Path(mplfonts.__file__).resolve().parent / "fonts" / name
        if path.exists():
            return path
    except ImportError:
        pass
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            found = subprocess.run([fc_match, "-f", "%{file}", ":lang=zh"], capture_output=True, text=True, timeout=10)
            if found.returncode == 0 and found.stdout and Path(found.stdout).exists() and "DejaVu" not in found.stdout:
                return Path(found.stdout)
        except (OSError, subprocess.SubprocessError):
            pass
    return None


# --- charts --------------------------------------------------------------------------------------


def _chart_per_10k(content: BriefingContent, font: Path, out: Path) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    import matplotlib.pyplot as plt

    rows = [(name, value) for name, value in content.per_10k_by_unit]
    if not rows:
        return None
    prop = font_manager.FontProperties(fname=str(font))
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=150)
    names = [name for name, _ in rows]
    values = [value if value is not None else 0.0 for _, value in rows]
    bars = ax.bar(range(len(rows)), values, color="#2F5597")
    for bar, (_, value) in zip(bars, rows):
        label = "无数据" if value is None else f"{value:.2f}"
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), label, ha="center", va="bottom",
                fontproperties=prop, fontsize=8)
    if content.per_10k_target is not None:
        ax.axhline(content.per_10k_target, color="#C00000", linestyle="--", linewidth=1)
        ax.text(len(rows) - 0.5, content.per_10k_target, f"{content.period_end.year}年目标 {content.per_10k_target:g}",
                color="#C00000", ha="right", va="bottom", fontproperties=prop, fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(names, fontproperties=prop, fontsize=8, rotation=20)
    ax.set_ylabel("件/万人", fontproperties=prop)
    ax.set_title(f"各单位万人有效发明专利拥有量（{content.period_label}末）", fontproperties=prop, fontsize=10)
    return _save_chart(plt, fig, ax, out)


def _save_chart(plt, fig, ax, out: Path) -> Path:
    """The charts' common finish: no top and right frame, tight layout, written to ``out``."""
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def _chart_waterfall(content: BriefingContent, font: Path, out: Path) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    import matplotlib.pyplot as plt

    if content.waterfall_start is None or content.waterfall_end is None:
        return None
    prop = font_manager.FontProperties(fname=str(font))
    labels = [content.waterfall_start[0], *[name for name, _ in content.waterfall], content.waterfall_end[0]]
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=150)
    level = content.waterfall_start[1]
    ax.bar(0, level, color="#7F7F7F")
    ax.text(0, level, f"{level:,.0f}", ha="center", va="bottom", fontproperties=prop, fontsize=8)
    for index, (_, value) in enumerate(content.waterfall, start=1):
        bottom = level if value >= 0 else level + value
        ax.bar(index, abs(value), bottom=bottom, color="#548235" if value >= 0 else "#C00000")
        ax.text(index, bottom + abs(value), f"{value:+,.0f}", ha="center", va="bottom", fontproperties=prop, fontsize=8)
        level += value
    end = content.waterfall_end[1]
    ax.bar(len(labels) - 1, end, color="#2F5597")
    ax.text(len(labels) - 1, end, f"{end:,.0f}", ha="center", va="bottom", fontproperties=prop, fontsize=8)
    levels = [content.waterfall_start[1], end]
    running = content.waterfall_start[1]
    for _, value in content.waterfall:
        running += value
        levels.append(running)
    spread = max(levels) - min(levels)
    if spread > 0 and min(levels) > 3 * spread:  # small moves on a large stock: start the axis near them
        ax.set_ylim(bottom=min(levels) - 1.5 * spread, top=max(levels) + 0.4 * spread)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels([label if len(label) <= 8 else label[:8] + "…" for label in labels],
                       fontproperties=prop, fontsize=8, rotation=20)
    ax.set_ylabel("件", fontproperties=prop)
    ax.set_title(f"{content.focus_name}有效发明专利拥有量今年以来的变动", fontproperties=prop, fontsize=10)
    return _save_chart(plt, fig, ax, out)


# --- documents -----------------------------------------------------------------------------------


def _context(content: BriefingContent) -> dict:
    return {
        "doc_number": content.doc_number,
        "title": content.title,
        "subtitle": content.subtitle,
        "overall_intro": content.overall_intro,
        "overall_sentences": content.overall_sentences,
        "rankings": content.rankings,
        "zero_invention": content.zero_invention,
        "key_enterprises": content.key_enterprises,
        "hightech_srdi": content.hightech_srdi,
        "fee_risk": content.fee_risk,
        "fee_rows": content.fee_rows,
        "change_sentences": content.change_sentences,
        "problems": content.problems,
        "notes": content.notes,
        "attachment_name": content.attachment_name,
    }


def render_docx(content: BriefingContent, out: Path, charts: dict[str, Path | None], template: Path = DOCX_TEMPLATE) -> Path:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(str(template))
    context = _context(content)
    for key, path in charts.items():
        context[key] = InlineImage(document, str(path), width=Mm(150)) if path else None
    document.render(context, autoescape=True)
    staging = out.with_name(out.name + ".part")
    document.save(str(staging))
    staging.replace(out)
    return out


def render_html(content: BriefingContent, charts: dict[str, Path | None], font: Path | None) -> str:
    """The same content as one HTML page (what a browser prints to PDF)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)
    context = _context(content)
    for key, path in charts.items():
        context[key] = path.as_uri() if path else None
    context["font_url"] = font.as_uri() if font else None
    return env.get_template(HTML_TEMPLATE.name).render(**context)


def find_converter() -> tuple[str, str] | None:
    """('libreoffice', path) or ('chromium', path), whichever the machine has (LibreOffice first)."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return "libreoffice", path
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return "chromium", path
    return None


def write_pdf(content: BriefingContent, docx: Path, out: Path, charts: dict[str, Path | None], font: Path | None,
              work: Path) -> tuple[Path | None, str]:
    converter = find_converter()
    if converter is None:
        return None, "no PDF converter found (LibreOffice or Chromium); only the DOCX was written"
    kind, binary = converter
    try:
        if kind == "libreoffice":
            subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                           check=True, capture_output=True, timeout=180)
            produced = work / (docx.stem + ".pdf")
        else:
            page = work / "briefing.html"
            page.write_text(render_html(content, charts, font), encoding="utf-8")
            produced = work / "briefing.pdf"
            subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={produced}", page.as_uri()],
                           check=True, capture_output=True, timeout=180)
        if not produced.exists() or produced.stat().st_size == 0:
            return None, f"the PDF converter ({kind}) wrote nothing; only the DOCX was written"
        shutil.move(str(produced), out)
        return out, f"PDF written with {kind}"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"the PDF converter ({kind}) failed ({type(exc).__name__}); only the DOCX was written"


def write_monthly_briefing(warehouse: Path, period_end: date, out_dir: Path, focus_code: str | None = None,
                           *, pdf: bool = True) -> BriefingFiles:
    """Write the 通报 of ``period_end`` (and its attachment, and a PDF when possible) into ``out_dir``."""
    out_dir = Path(out_dir).expanduser().resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    read, close = warehouse_reader(Path(warehouse))
    try:
        content = briefing_content(read, period_end, focus_code)
        try:
            report = load_county_assessment(read, period_end) if content.has_data else None
        except NoAssessment:
            report = None
    finally:
        close()
    messages: list[str] = []
    docx_path = out_dir / f"{content.file_stem}.docx"
    with tempfile.TemporaryDirectory(prefix="ipwh-briefing-") as tmp:
        work = Path(tmp)
        charts: dict[str, Path | None] = {"chart_per_10k": None, "chart_waterfall": None}
        font = cjk_font_file("sans")
        if not content.has_data:
            messages.append(f"no data for {period_end:%Y-%m}: the document says so")
        elif font is None:
            content.notes.append("说明：本机缺少中文字体，本期通报未附图表。")
            messages.append("no CJK font found (install the project's dependencies: mplfonts); charts left out")
        else:
            charts["chart_per_10k"] = _chart_per_10k(content, font, work / "per_10k.png")
            charts["chart_waterfall"] = _chart_waterfall(content, font, work / "waterfall.png")
        render_docx(content, docx_path, charts)
        files = BriefingFiles(docx_path, has_data=content.has_data, messages=messages)
        if report is not None:
            xlsx = out_dir / f"附件_{content.root_name}县区知识产权考核_{period_end.year}年{period_end.month}月.xlsx"
            staging = xlsx.with_name(xlsx.name + ".part")
            staging.write_bytes(assessment_xlsx(report))
            staging.replace(xlsx)
            files.xlsx = xlsx
        elif content.has_data:
            messages.append(f"no county assessment for {period_end:%Y-%m}: no attachment")
        if pdf:
            serif = cjk_font_file("serif") or font
            files.pdf, message = write_pdf(content, docx_path, docx_path.with_suffix(".pdf"), charts, serif, work)
            messages.append(message)
    for message in messages:
        log.info("monthly briefing: %s", message)
    return files


def briefing_bytes(warehouse: Path, period_end: date, focus_code: str | None = None) -> tuple[str, bytes]:
    """(file name, DOCX bytes) of a 通报, for a download button."""
    with tempfile.TemporaryDirectory(prefix="ipwh-briefing-dl-") as tmp:
        files = write_monthly_briefing(warehouse, period_end, Path(tmp), focus_code, pdf=False)
        return files.docx.name, files.docx.read_bytes()

