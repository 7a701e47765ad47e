"""The sources of the landing folder: their keys, columns, accepted headers and value rules.

This is contract.md "Inputs" as data. Readers map headers through ``aliases`` (first alias wins when a
file carries two that name the same column), ``kinds`` decide how a value is parsed and checked (see
``orchestration/sources/sql.py``), and ``enums`` list the accepted spellings of coded values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# kinds: text, name, address, date, appno, appno_list, uscc, cert, integer, number, year,
#        nice_class, enum, bool, list, term, region_code, gb_code


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    # alias -> factor applied to a number (常住人口(万人) -> x 10,000)
    scale: dict[str, float] = field(default_factory=dict)
    enum: str | None = None


@dataclass(frozen=True)
class Source:
    name: str
    title: str  # Chinese name shown to officials
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # header must carry all of these, and at least one of each group in ``required_any``
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...] = ()
    # key columns where one of several may stand in (srdi: uscc, else enterprise)
    key_alternatives: tuple[tuple[str, ...], ...] = ()
    # key columns that may be empty (enterprises: a firm on no above-scale roster)
    optional_key: tuple[str, ...] = ()
    # a key column a published list may lack altogether -> the columns that key its rows instead
    # (a high-tech list as published: 序号, 企业名称, 所属地区 and the year in its title, no 证书编号)
    fallback_key: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def mandatory_key(self) -> tuple[str, ...]:
        alternative = {c for group in self.key_alternatives for c in group}
        return tuple(k for k in self.key if k not in alternative and k not in self.optional_key)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# Accepted values of coded columns: raw spelling (after trimming and full-width folding) -> canonical.
ENUMS: dict[str, dict[str, str]] = {
    "overseas_kind": {
        "PCT": "pct", "pct": "pct", "PCT国际专利申请": "pct", "PCT申请": "pct",
        "马德里": "madrid", "马德里商标": "madrid", "马德里商标国际注册": "madrid", "Madrid": "madrid", "madrid": "madrid",
        "国外专利": "foreign_patent", "foreign_patent": "foreign_patent", "境外专利": "foreign_patent",
        "国外商标": "foreign_trademark", "foreign_trademark": "foreign_trademark", "境外商标": "foreign_trademark",
    },
    "srdi_level": {
        "省级专精特新中小企业": "provincial_srdi_sme", "专精特新中小企业": "provincial_srdi_sme",
        "河南省专精特新中小企业": "provincial_srdi_sme", "provincial_srdi_sme": "provincial_srdi_sme",
        '专精特新"小巨人"': "little_giant", "专精特新小巨人": "little_giant", "专精特新“小巨人”": "little_giant",
        "国家级专精特新小巨人": "little_giant", '国家级专精特新"小巨人"': "little_giant", "小巨人": "little_giant",
        "国家级专精特新“小巨人”企业": "little_giant", '专精特新"小巨人"企业': "little_giant", "little_giant": "little_giant",
    },
    "srdi_stage": {
        "公示": "publicity", "公布": "published", "认定": "published", "复核通过": "re_reviewed",
        "通过复核": "re_reviewed", "撤销": "revoked", "取消": "revoked",
        "publicity": "publicity", "published": "published", "re_reviewed": "re_reviewed", "revoked": "revoked",
    },
    "ip_advantage_level": {
        "国家知识产权示范企业": "national_demonstration", "国家知识产权优势企业": "national_advantage",
        "河南省知识产权示范企业": "provincial_demonstration", "河南省知识产权优势企业": "provincial_advantage",
        "河南省知识产权强企": "provincial_strong", "省知识产权强企": "provincial_strong",
        "市级知识产权优势企业": "municipal_advantage", "市知识产权优势企业": "municipal_advantage",
        "市级知识产权优势培育企业": "municipal_cultivation", "市知识产权优势培育企业": "municipal_cultivation",
        "national_demonstration": "national_demonstration", "national_advantage": "national_advantage",
        "provincial_demonstration": "provincial_demonstration", "provincial_advantage": "provincial_advantage",
        "provincial_strong": "provincial_strong", "municipal_advantage": "municipal_advantage",
        "municipal_cultivation": "municipal_cultivation",
    },
    "yes_no": {
        "是": "true", "否": "false", "Y": "true", "N": "false", "y": "true", "n": "false", "1": "true", "0": "false",
        "true": "true", "false": "false", "TRUE": "true", "FALSE": "false", "重点": "true", "√": "true",
    },
}

PATENTS = Source(
    name="patents",
    title="专利",
    key=("application_no",),
    required=("application_no",),
    required_any=(("patent_type", "title", "grant_date", "ipc_main", "legal_status"),),
    columns=(
        Column("application_no", "appno", ("申请号", "专利号", "application_no")),
        Column("application_date", "date", ("申请日", "申请日期", "application_date")),
        Column("patent_type", "patent_type", ("专利类型", "patent_type")),
        Column("title", "text", ("专利名称", "名称", "发明名称", "标题", "标题(中文)", "title")),
        # optional: incoPat and PatSnap exports carry it; the strategic-emerging keyword mode title_abstract reads it
        Column("abstract", "text", ("摘要", "摘要(中文)", "中文摘要", "abstract")),
        # A standardised current holder beats the current holder, which beats the original applicant.
        Column("patentees", "list", ("[标]当前申请(专利权)人", "标准化当前权利人", "当前专利权人", "当前权利人",
                                     "当前申请(专利权)人", "专利权人", "第一权利人", "申请(专利权)人", "申请人", "patentees")),
        Column("address", "address", ("地址", "专利权人地址", "申请人地址", "当前专利权人地址", "address")),
        Column("grant_date", "date", ("授权公告日", "授权日", "授权日期", "grant_date")),
        Column("grant_pub_no", "text", ("授权公告号", "grant_pub_no")),
        # A current or simple status beats an event history (法律状态 as a #法律状态公告日… cell, 法律状态/事件).
        Column("legal_status", "patent_status", ("专利有效性", "简单法律状态", "当前法律状态", "专利权状态", "legal_status",
                                                 "最新法律状态", "法律状态", "法律状态/事件")),
        Column("lapse_date", "date", ("失效日", "失效日期", "权利终止日", "lapse_date")),
        Column("ipc_main", "ipc", ("主分类号", "主IPC", "IPC主分类", "IPC主分类号", "ipc_main")),
        Column("ipc_all", "ipc_list", ("分类号", "IPC", "IPC分类号", "ipc_all")),
        Column("patentee_uscc", "uscc", ("统一社会信用代码", "专利权人统一社会信用代码", "工商统一社会信用代码", "patentee_uscc")),
        Column("family_countries", "list", ("同族国家", "同族国家/地区", "family_countries")),
        Column("fee_paid_through_year", "integer", ("年费缴至年度", "fee_paid_through_year")),
        Column("applicant_type", "text", ("申请人类型", "第一申请人类型", "[标]当前申请(专利权)人类型", "applicant_type")),
    ),
)

TRADEMARKS = Source(
    name="trademarks",
    title="商标",
    key=("reg_no", "nice_class"),
    required=("reg_no", "nice_class"),
    columns=(
        Column("reg_no", "reg_no", ("注册号", "注册号/申请号", "申请/注册号", "申请号/注册号", "reg_no")),
        Column("nice_class", "nice_class", ("国际分类", "国际分类号", "类别", "商标类别", "nice_class")),
        Column("name", "text", ("商标名称", "name")),
        Column("registrant", "name", ("申请人名称", "注册人", "申请人名称(中文)", "registrant")),
        Column("address", "address", ("申请人地址", "注册人地址", "申请人地址(中文)", "address")),
        Column("application_date", "date", ("申请日期", "申请日", "商标申请日期", "application_date")),
        Column("reg_date", "date", ("注册公告日期", "注册日期", "reg_date")),
        Column("term", "term", ("专用权期限", "term")),
        Column("term_end", "date", ("专用权期限止", "专用期限止", "term_end")),
        Column("status", "trademark_status", ("商标状态", "法律状态", "status")),
        Column("cancel_date", "date", ("注销日期", "无效日期", "cancel_date")),
        Column("registrant_uscc", "uscc", ("统一社会信用代码", "registrant_uscc")),
    ),
)

OVERSEAS_FILINGS = Source(
    name="overseas_filings",
    title="海外专利商标申请",
    key=("filing_no",),
    required=("filing_no",),
    required_any=(("kind",), ("filing_date",)),
    columns=(
        Column("kind", "enum", ("类型", "申请类型", "kind"), enum="overseas_kind"),
        Column("filing_no", "text", ("申请号", "国际申请号", "国际注册号", "filing_no")),
        Column("filing_date", "date", ("申请日", "国际申请日", "国际注册日期", "filing_date")),
        Column("applicant", "list", ("申请人", "申请人名称", "applicant")),
        Column("address", "address", ("申请人地址", "address")),
        Column("applicant_uscc", "uscc", ("统一社会信用代码", "applicant_uscc")),
        Column("countries", "list", ("指定国家", "指定国家/地区", "countries")),
    ),
)

HIGHTECH = Source(
    name="hightech",
    title="高新技术企业名单",
    key=("certificate_no",),
    required=("certificate_no", "enterprise"),
    columns=(
        Column("enterprise", "name", ("企业名称", "enterprise")),
        Column("uscc", "uscc", ("统一社会信用代码", "uscc")),
        Column("certificate_no", "cert", ("证书编号", "certificate_no")),
        Column("issue_date", "date", ("发证日期", "发证时间", "issue_date")),
        Column("batch", "text", ("批次", "batch")),
        Column("area", "text", ("所属县区", "县区", "区县", "所属地区", "地区", "属地", "行政区域", "所在地区", "所属地市", "地市", "area")),
        Column("year", "year", ("年度", "认定年度", "year")),
    ),
    fallback_key={"certificate_no": ("enterprise", "year")},
)

SRDI = Source(
    name="srdi",
    title="专精特新企业名单",
    key=("uscc", "enterprise", "level", "year", "stage"),
    key_alternatives=(("uscc", "enterprise"),),
    required=("level", "year", "stage"),
    required_any=(("uscc", "enterprise"),),
    columns=(
        Column("enterprise", "name", ("企业名称", "enterprise")),
        Column("uscc", "uscc", ("统一社会信用代码", "uscc")),
        Column("level", "enum", ("级别", "类别", "level"), enum="srdi_level"),
        Column("year", "year", ("年度", "认定年度", "year")),
        Column("batch", "text", ("批次", "batch")),
        Column("stage", "enum", ("状态", "阶段", "stage"), enum="srdi_stage"),
        Column("valid_from", "date", ("有效期起", "valid_from")),
        Column("valid_to", "date", ("有效期止", "有效期至", "valid_to")),
        Column("validity", "term", ("有效期", "validity")),
        Column("area", "text", ("所属县区", "县区", "区县", "所属地区", "地区", "属地", "行政区域", "所在地区", "所属地市", "地市", "area")),
    ),
)

IP_ADVANTAGE = Source(
    name="ip_advantage",
    title="知识产权优势示范企业",
    key=("uscc", "enterprise", "level", "year"),
    key_alternatives=(("uscc", "enterprise"),),
    required=("level", "year"),
    required_any=(("uscc", "enterprise"),),
    columns=(
        Column("enterprise", "name", ("企业名称", "enterprise")),
        Column("uscc", "uscc", ("统一社会信用代码", "uscc")),
        Column("level", "enum", ("级别", "类别", "level"), enum="ip_advantage_level"),
        Column("year", "year", ("认定年度", "年度", "year")),
        Column("valid_to", "date", ("有效期至", "有效期止", "valid_to")),
        Column("area", "text", ("所属县区", "县区", "区县", "所属地区", "地区", "属地", "行政区域", "所在地区", "所属地市", "地市", "area")),
    ),
)

ENTERPRISES = Source(
    name="enterprises",
    title="企业名录",
    key=("uscc", "above_scale_year"),
    optional_key=("above_scale_year",),
    required=("uscc", "enterprise"),
    columns=(
        Column("enterprise", "name", ("企业名称", "单位详细名称", "单位名称", "enterprise")),
        Column("uscc", "uscc", ("统一社会信用代码", "uscc")),
        Column("area", "text", ("所属县区", "区县", "县区", "地区", "area")),
        Column("industry_code", "gb_code", ("行业代码", "国民经济行业代码", "industry_code")),
        Column("above_scale_year", "year", ("规上年度", "年度", "期别(年)", "above_scale_year")),
        Column("key_enterprise", "enum", ("是否重点企业", "重点企业", "key_enterprise"), enum="yes_no"),
        Column("former_names", "list", ("曾用名", "former_names")),
        Column("address", "address", ("注册地址", "地址", "address")),
    ),
)

POPULATION = Source(
    name="population",
    title="常住人口",
    key=("region_code", "year"),
    required=("region_code", "year", "population"),
    columns=(
        Column("year", "year", ("年份", "年度", "year")),
        Column("region_code", "region_code", ("区划代码", "行政区划代码", "region_code")),
        Column("region_name", "text", ("地区", "地区名称", "区域", "region_name")),
        Column(
            "population", "number",
            ("常住人口", "常住人口(人)", "常住人口(万人)", "年末常住人口(万人)", "年末常住人口", "population"),
            scale={"常住人口(万人)": 10000.0, "年末常住人口(万人)": 10000.0},
        ),
        Column("series", "text", ("口径", "统计口径", "series")),
    ),
)

PLEDGES = Source(
    name="pledges",
    title="专利质押登记",
    key=("registration_no",),
    required=("registration_no", "application_no"),
    columns=(
        Column("registration_no", "text", ("登记号", "质押登记号", "registration_no")),
        Column("application_no", "appno_list", ("专利号", "申请号", "application_no")),
        Column("pledgor", "name", ("出质人", "pledgor")),
        Column("pledgee", "name", ("质权人", "pledgee")),
        Column("amount_wan", "number", ("质押金额(万元)", "质押金额", "amount_wan")),
        Column("registration_date", "date", ("登记日", "登记日期", "登记生效日", "registration_date")),
        Column("release_date", "date", ("解除日", "解除日期", "release_date")),
    ),
)

AWARDS = Source(
    name="awards",
    title="专利奖励",
    key=("application_no", "award"),
    required=("application_no", "award"),
    columns=(
        Column("application_no", "appno", ("专利号", "申请号", "application_no")),
        Column("award", "text", ("奖项", "award")),
        Column("year", "year", ("年度", "获奖年度", "year")),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (PATENTS, TRADEMARKS, OVERSEAS_FILINGS, HIGHTECH, SRDI, IP_ADVANTAGE, ENTERPRISES, POPULATION, PLEDGES, AWARDS)
}
