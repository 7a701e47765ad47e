"""Write templates/monthly_briefing.docx, the Word template of the monthly 通报 (docxtpl syntax).

The committed .docx is what the office edits (wording, fonts, order of sections) in Word without
touching code; this script only recreates the starting version:

    .venv/bin/python -m orchestration.reports.make_template [--out FILE]

Layout after GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title 2号 小标宋; body 3号 仿宋 at 28 pt line spacing; first-level headings 黑体,
second-level 楷体; page numbers 4号 at the foot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "templates" / "monthly_briefing.docx"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"


def _east_asian(run_or_style, name: str) -> None:
    from docx.oxml.ns import qn

    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for key in ("w:eastAsia",):
        fonts.set(qn(key), name)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")


def _style(doc, name: str, font: str, size: float, *, bold: bool = False, center: bool = False, indent: bool = False):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    style = doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.name = "Times New Roman"
    _east_asian(style, font)
    fmt = style.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    return style


def _para(doc, text: str, style: str):
    return doc.add_paragraph(text, style=style)


def _table(doc, headers: list[str], cells: list[str], loop: str, endloop: str = "{%tr endfor %}"):
    """A table: header row, a docxtpl row loop (`{%tr for … %}`), one templated row, the loop end."""
    from docx.shared import Pt

    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        table.cell(0, index).text = header
    table.cell(1, 0).text = loop
    for index, cell in enumerate(cells):
        table.cell(2, index).text = cell
    table.cell(3, 0).text = endloop
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = "通报表格"
                for run in paragraph.runs:
                    run.font.size = Pt(12)
    return table


def build_template(out: Path = TEMPLATE) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    _style(doc, "Normal", BODY_FONT, 16)
    _style(doc, "通报标题", TITLE_FONT, 22, center=True)
    _style(doc, "通报副标题", SUBHEADING_FONT, 16, center=True)
    _style(doc, "通报文号", BODY_FONT, 16, center=True)
    _style(doc, "通报正文", BODY_FONT, 16, indent=True)
    _style(doc, "通报一级标题", HEADING_FONT, 16, indent=True)
    _style(doc, "通报二级标题", SUBHEADING_FONT, 16, indent=True)
    _style(doc, "通报图", BODY_FONT, 12, center=True)
    table_style = _style(doc, "通报表格", BODY_FONT, 12, center=True)
    table_style.paragraph_format.line_spacing = Pt(18)

    # page number at the foot: — 1 —
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
    footer.add_run(" —")

    _para(doc, "{{ doc_number }}", "通报文号")
    _para(doc, "{{ title }}", "通报标题")
    _para(doc, "{{ subtitle }}", "通报副标题")
    _para(doc, "", "通报正文")
    _para(doc, "{{ overall_intro }}", "通报正文")

    _para(doc, "一、总体情况", "通报一级标题")
    _para(doc, "{%p for s in overall_sentences %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")
    _para(doc, "{%p if chart_per_10k %}", "通报图")
    _para(doc, "{{ chart_per_10k }}", "通报图")
    _para(doc, "图1  各单位万人有效发明专利拥有量", "通报图")
    _para(doc, "{%p endif %}", "通报图")

    _para(doc, "二、县区考核排名", "通报一级标题")
    _para(doc, "{%p if not rankings %}", "通报正文")
    _para(doc, "本期没有县区考核数据。", "通报正文")
    _para(doc, "{%p endif %}", "通报正文")
    _para(doc, "{%p for t in rankings %}", "通报正文")
    _para(doc, "{{ t.index }}{{ t.metric_name }}", "通报二级标题")
    _para(doc, "{{ t.sentence }}", "通报正文")
    _table(doc, ["排名", "单位", "本期", "上年同期", "同比变化", "名次变化"],
           ["{{ r.rank }}", "{{ r.unit }}", "{{ r.value }}", "{{ r.previous }}", "{{ r.change }}", "{{ r.rank_change }}"],
           "{%tr for r in t.rows %}")
    _para(doc, "{%p endfor %}", "通报正文")

    _para(doc, "三、“清零”行动进展", "通报一级标题")
    _para(doc, "{%p for s in zero_invention %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")

    _para(doc, "四、重点企业发明专利倍增", "通报一级标题")
    _para(doc, "{%p for s in key_enterprises %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")

    _para(doc, "五、高新技术企业和专精特新企业", "通报一级标题")
    _para(doc, "{%p for s in hightech_srdi %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")

    _para(doc, "六、专利年费失效风险", "通报一级标题")
    _para(doc, "{%p for s in fee_risk %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")
    _para(doc, "{%p if fee_rows %}", "通报正文")
    _table(doc, ["单位", "90日内到期（件）", "滞纳期内（件）", "即将失效（件）"],
           ["{{ r.unit }}", "{{ r.due_soon }}", "{{ r.grace }}", "{{ r.lapse_risk }}"],
           "{%tr for r in fee_rows %}")
    _para(doc, "{%p endif %}", "通报正文")

    _para(doc, "七、指标变动原因分析", "通报一级标题")
    _para(doc, "{%p for s in change_sentences %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")
    _para(doc, "{%p if chart_waterfall %}", "通报图")
    _para(doc, "{{ chart_waterfall }}", "通报图")
    _para(doc, "图2  有效发明专利拥有量今年以来变动分解", "通报图")
    _para(doc, "{%p endif %}", "通报图")

    _para(doc, "八、存在的问题", "通报一级标题")
    _para(doc, "{%p for s in problems %}", "通报正文")
    _para(doc, "{{ loop.index }}. {{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")

    _para(doc, "{%p for s in notes %}", "通报正文")
    _para(doc, "{{ s }}", "通报正文")
    _para(doc, "{%p endfor %}", "通报正文")
    _para(doc, "", "通报正文")
    _para(doc, "{{ attachment_name }}", "通报正文")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write the monthly briefing's Word template")
    parser.add_argument("--out", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    print(build_template(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
