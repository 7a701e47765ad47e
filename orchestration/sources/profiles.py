"""Export profiles: which system wrote a file, recognised from its header row.

A profile is data: the system's name as officials know it, the source it feeds, and the headers
that only that system writes (its signature, compared after folding full-width brackets and
spaces). The column mapping itself is the source's aliases in ``catalog.py``, whose order is the
precedence between columns that say the same thing (a current or simple legal status beats an event
history; a standardised current holder beats the original applicant). The profile recognised is
recorded per file in ``audit.load_log`` with the headers that were not used.

Systems (header rows in ../reference/export_headers/): incoPat, 智慧芽 PatSnap, CNIPR / provincial
platforms / CNIPA search, 佰腾-style tools, 中国商标网, 天眼查, 企查查, the CNIPA pledge gazette, the
statistics bureau's lists, official rosters as published, and the project's own template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Source


@dataclass(frozen=True)
class Profile:
    name: str
    title: str  # shown to data staff
    source: str
    signature: tuple[str, ...]  # headers (normalised) only this system writes; more hits = better
    min_hits: int = 1


PROFILES: tuple[Profile, ...] = (
    Profile("incopat", "incoPat 导出", "patents",
            ("链接到incoPat", "标准化当前权利人", "专利有效性", "合享价值度", "工商统一社会信用代码", "中国申请人区县",
             "IPC主分类", "标题(中文)", "标题（中文）", "公开国别", "文献种类代码", "公开（公告）号", "公开(公告)号")),
    Profile("patsnap", "智慧芽 PatSnap 导出", "patents",
            ("[标]当前申请(专利权)人", "简单法律状态", "法律状态/事件", "IPC主分类号", "Patsnap同族专利申请数量",
             "[标]原始申请(专利权)人", "当前申请(专利权)人数量", "公开(公告)号")),
    Profile("baiten", "佰腾类导出", "patents",
            ("当前权利人", "第一权利人", "国省代码", "法律事件", "简单同族数量", "质押次数", "颁证日", "审查时长", "失效日期",
             "授权名称", "申请摘要"), min_hits=2),
    Profile("cnipr", "CNIPR / 省级专利平台 / CNIPA 检索导出", "patents",
            ("申请（专利权）人", "发明（设计）人", "专利权状态", "最新法律状态", "国省代码", "专利代理机构", "公开（公告）号",
             "公开（公告）日"), min_hits=2),
    Profile("tianyancha", "天眼查商标列表", "trademarks", ("申请/注册号", "申请人名称（中文）", "商品／服务", "商标公告"), min_hits=2),
    Profile("qichacha", "企查查商标列表", "trademarks",
            ("申请/注册号", "申请人名称(中文)", "商标图案", "国标注册日期", "代理/办理机构", "商标申请日期", "商标状态"), min_hits=2),
    Profile("ctmo", "中国商标网", "trademarks", ("注册号/申请号", "商品/服务列表", "申请人名称(中文)", "商标流程", "国际分类号"),
            min_hits=2),
    Profile("pledge_gazette", "国家知识产权局专利权质押公告", "pledges", ("登记生效日", "解除日", "使用外观设计的产品名称")),
    Profile("nbs", "统计局联网直报名录", "enterprises", ("单位详细名称", "期别(年)", "单位所在地区划代码", "组织机构代码")),
    Profile("published_roster", "公布的名单（序号、企业名称、所属地区）", "*", ("序号", "所属地区", "所属地市", "属地", "行政区域")),
    # The project's own templates (contract.md): recognised only when no vendor's signature is.
    Profile("ipwh_template", "ipwh 模板", "*",
            ("专利名称", "授权公告日", "失效日", "主分类号", "注册号", "国际分类", "专用权期限", "商标状态", "质押金额(万元)",
             "规上年度", "是否重点企业", "所属县区", "证书编号", "级别", "认定年度", "区划代码", "常住人口", "奖项", "类型"),
            min_hits=2),
)


def recognise(source: Source, headers: list[str]) -> Profile | None:
    """The profile of this source whose signature the header row carries most, or None. Headers are
    compared as written (spaces dropped): 天眼查 writes （中文） where 企查查 writes (中文)."""
    present = {re.sub(r"\s+", "", h) for h in headers if h}
    best: tuple[int, int, Profile] | None = None
    for order, profile in enumerate(PROFILES):
        if profile.source not in (source.name, "*"):
            continue
        hits = sum(1 for h in profile.signature if h in present)
        rank = (0 if profile.name == "ipwh_template" else 1, hits)
        if hits >= profile.min_hits and (best is None or rank > best[:2]):
            best = (*rank, profile)
    return best[2] if best else None


def describe(profile: Profile | None) -> str:
    return profile.title if profile else "未识别的导出格式（按通用列名读取）"
