"""From a number to the records behind it: which rows of which fact table each metric counts.

Every metric maps to one record list. The patent, trademark and enterprise metrics list the rows dbt
publishes in ``marts.metric_records`` (the records each metric counts, per unit, from when to when:
written once in ``int_metric_records`` / ``int_metric_enterprise_records``, which the metric models
count too), joined to the fact tables for display; no metric rule is restated here. A ratio lists its
denominator's members with a flag column. The 清零, key-enterprise and fee-warning lists come from the
action-list marts the metrics come from. Where
the marts do not carry what a metric needs (overseas filings, pledges), the list says so instead of
guessing.

The SQL uses named placeholders (``:period``, ``:year_start``, ``:regions``, ``:industry``) that
``dashboards.data.bind`` turns into positional parameters. ``:regions`` is always the list of unit
codes the viewer may see, so the access rule sits in the query itself.
"""

from __future__ import annotations

from dataclasses import dataclass

PATENT_COLUMNS = {
    "application_no": "申请号",
    "title": "专利名称",
    "patent_type": "专利类型",
    "application_date": "申请日",
    "grant_date": "授权日",
    "first_patentee": "第一专利权人",
    "patentees": "全部专利权人",
    "region_name": "归属单位",
    "attribution_method": "归属依据",
    "industries": "所属产业",
    "strategic_rules": "战略性新兴产业规则",
    "legal_status": "法律状态",
    "lapse_date": "失效日",
}
TRADEMARK_COLUMNS = {
    "reg_no": "注册号",
    "nice_class": "国际分类",
    "name": "商标名称",
    "registrant": "注册人",
    "region_name": "归属单位",
    "valid_from": "注册日",
    "term_end": "专用权期限至",
    "status": "商标状态",
}
ENTERPRISE_COLUMNS = {
    "enterprise": "企业名称",
    "uscc": "统一社会信用代码",
    "region_name": "所属单位",
    "industry_code": "所属产业",
    "since": "起始日",
    "flag": "说明",
}
FEE_COLUMNS = {
    "application_no": "申请号",
    "title": "专利名称",
    "patentee": "专利权人",
    "uscc": "统一社会信用代码",
    "region_name": "归属单位",
    "due_date": "应缴日",
    "fee_yuan": "年费（元）",
    "surcharge_yuan": "滞纳金（元）",
    "state": "预警状态",
}
ZERO_COLUMNS = {
    "enterprise": "企业名称",
    "uscc": "统一社会信用代码",
    "region_name": "所属单位",
    "industry_code": "所属产业",
    "valid_patents_any_type": "有效专利（任一类型）",
    "valid_trademarks": "有效商标",
}
KEY_COLUMNS = {
    "enterprise": "企业名称",
    "uscc": "统一社会信用代码",
    "region_name": "所属单位",
    "industry_code": "所属产业",
    "baseline_patents": "基准日有效发明专利",
    "current_patents": "期末有效发明专利",
    "ratio": "倍增进度（倍）",
    "doubled": "已倍增",
    "still_needed": "距倍增还差（件）",
}

# The strategic-emerging rules that take a patent, with what a later IPC edition's reading added:
# '1.4-04,1.5-05（IPC改版：G06N3/045(2023.01) → G06N3/04）'.
STRATEGIC_RULES_SQL = """array_to_string(p.strategic_rules, ',') || case when len(p.strategic_later_edition_readings) > 0
       then '（IPC改版：' || array_to_string(p.strategic_later_edition_readings, '；') || '）' else '' end"""

# The records a metric counts at :period (marts.metric_records), for the regions granted and an industry.
_COUNTED = """
r.metric_code = '{metric}' and r.counted_from <= :period and (r.counted_until is null or r.counted_until > :period)
  and list_contains(:regions, r.region_code)
  and (:industry = 'ALL' or list_contains(r.industries, :industry))
"""

_PATENTS = """
select p.application_no, p.title, p.patent_type, p.application_date, p.grant_date, p.first_patentee,
       p.patentees, r.region_code, p.attribution_method, array_to_string(r.industries, ',') as industries,
       {strategic_rules} as strategic_rules, p.legal_status, p.lapse_date
from marts.metric_records as r
join marts.patent_facts as p on p.application_no = r.record_key
where {counted}
order by r.region_code, p.application_no
"""

_TRADEMARKS = """
select t.reg_no, t.nice_class, t.name, t.registrant, r.region_code, t.valid_from, t.term_end, t.status
from marts.metric_records as r
join marts.trademark_facts as t on r.record_key = t.reg_no || '/' || cast(t.nice_class as varchar)
where {counted}
order by r.region_code, t.reg_no, t.nice_class
"""

# The enterprises a metric counts (marts.metric_records, record_key the enterprise_id), with their
# names where the master has them; {flag} may use r (the record) and :period.
_ENTERPRISES = """
select coalesce(e.enterprise, r.record_key) as enterprise, e.uscc, r.region_code, r.industries[1] as industry_code,
       r.counted_from as since, {flag} as flag
from marts.metric_records as r
left join marts.enterprise_facts as e on e.enterprise_id = r.record_key
where {counted}
order by r.region_code, enterprise, r.record_key
"""

_ZERO = """
select z.enterprise, z.uscc, z.region_code, z.industry_code, z.valid_patents_any_type, z.valid_trademarks
from marts.zero_invention_enterprises as z
where z.period_end = :period and list_contains(:regions, z.region_code)
  and (:industry = 'ALL' or z.industry_code = :industry)
order by z.region_code, z.enterprise
"""

_KEY = """
select k.enterprise, k.uscc, k.region_code, k.industry_code, k.baseline_patents, k.current_patents, k.ratio,
       k.doubled, greatest(case when k.baseline_patents > 0 then 2 * k.baseline_patents else 1 end
                           - k.current_patents, 0) as still_needed
from marts.key_enterprise_progress as k
where k.period_end = :period and list_contains(:regions, k.region_code)
  and (:industry = 'ALL' or k.industry_code = :industry)
  and ({condition})
order by k.region_code, k.doubled, k.ratio nulls first, k.enterprise
"""

_FEES = """
select f.application_no, f.title, f.patentee, f.uscc, f.region_code, f.due_date, f.fee_yuan, f.surcharge_yuan, f.state
from marts.fee_warnings as f
where f.period_end = :period and list_contains(:regions, f.region_code)
  and f.state in ('due_soon', 'grace', 'lapse_risk')
  and (:industry = 'ALL' or exists (
        select 1 from marts.patent_facts as p
        where p.application_no = f.application_no and list_contains(p.industries, :industry)))
order by f.due_date, f.application_no
"""

# The flag columns of the ratio metrics' lists (the denominator's members): from the action-list marts
# the same period status fills (above-scale enterprise_id is the credit code).
_COVERAGE_FLAG = """
case
    when r.record_key in (select uscc from marts.zero_invention_enterprises where period_end = :period and valid_patents_any_type = 0 and valid_trademarks = 0)
        then '无任何有效专利或商标'
    when r.record_key in (select uscc from marts.zero_invention_enterprises where period_end = :period)
        then '无有效发明专利（有其他知识产权）'
    else '有有效发明专利'
end
"""

_HIGHTECH_FLAG = """
case when r.record_key in (select enterprise_id from marts.hightech_without_invention where period_end = :period)
     then '无有效发明专利' else '有有效发明专利' end
"""


@dataclass(frozen=True)
class RecordList:
    """The records behind a metric: the SQL that lists them and how to show them."""

    kind: str  # patents | trademarks | enterprises | zero | key | fees | unavailable
    title: str  # what the list holds, in Chinese
    sql: str = ""
    columns: dict[str, str] | None = None
    note: str = ""  # shown under the list (how exactly it relates to the number)

    @property
    def available(self) -> bool:
        return bool(self.sql)


def _patents(title: str, metric: str, note: str = "") -> RecordList:
    """The patents ``metric`` counts (its rows of marts.metric_records)."""
    return RecordList("patents", title, _PATENTS.format(counted=_COUNTED.format(metric=metric), strategic_rules=STRATEGIC_RULES_SQL), PATENT_COLUMNS, note)


def _trademarks(title: str, metric: str) -> RecordList:
    return RecordList("trademarks", title, _TRADEMARKS.format(counted=_COUNTED.format(metric=metric)), TRADEMARK_COLUMNS)


def _enterprises(title: str, metric: str, flag: str = "null", note: str = "") -> RecordList:
    """The enterprises ``metric`` counts (its rows of marts.metric_records); ``flag`` fills the 说明 column."""
    sql = _ENTERPRISES.format(counted=_COUNTED.format(metric=metric), flag=flag)
    return RecordList("enterprises", title, sql, ENTERPRISE_COLUMNS, note)


RECORD_LISTS: dict[str, RecordList] = {
    "valid_invention_patents": _patents("期末有效的发明专利", "valid_invention_patents"),
    "invention_per_10k": _patents("期末有效的发明专利（万人指标的分子）", "valid_invention_patents"),
    "valid_invention_patents_growth": _patents("期末有效的发明专利（增长率的本期值）", "valid_invention_patents"),
    "high_value_invention_patents": _patents("期末的高价值发明专利", "high_value_invention_patents"),
    "high_value_per_10k": _patents("期末的高价值发明专利（万人指标的分子）", "high_value_invention_patents"),
    "hv_strategic_emerging": _patents("属于战略性新兴产业的有效发明专利", "hv_strategic_emerging"),
    "hv_overseas_family": _patents("有海外同族的有效发明专利", "hv_overseas_family"),
    "hv_maintained_10y": _patents("维持超过10年的有效发明专利", "hv_maintained_10y"),
    "hv_pledge": _patents("质押金额达到门槛的有效发明专利", "hv_pledge"),
    "hv_award": _patents("获奖的有效发明专利", "hv_award"),
    "invention_grants": _patents("当年授权的发明专利", "invention_grants"),
    "lapsed_unpaid_fee": _patents("当年因未缴年费失效的发明专利", "lapsed_unpaid_fee"),
    "valid_trademarks": _trademarks("期末有效的注册商标", "valid_trademarks"),
    "hightech_enterprises": _enterprises("期末持有有效证书的高新技术企业", "hightech_enterprises"),
    "hightech_with_invention_rate": _enterprises(
        "期末的高新技术企业（说明列：是否拥有有效发明专利）", "hightech_enterprises", _HIGHTECH_FLAG,
        "指标的分母为名单中的企业数，分子为其中拥有有效发明专利的企业数。",
    ),
    "srdi_sme_valid": _enterprises("有效期内的省级专精特新中小企业", "srdi_sme_valid"),
    "little_giant_valid": _enterprises("有效期内的专精特新“小巨人”企业", "little_giant_valid"),
    "srdi_sme_new": _enterprises("当年新增的省级专精特新中小企业", "srdi_sme_new"),
    "little_giant_new": _enterprises("当年新增的专精特新“小巨人”企业", "little_giant_new"),
    "ip_advantage_enterprises_total": _enterprises(
        "截至期末被认定过的知识产权优势（示范）企业", "ip_advantage_enterprises_total"
    ),
    "ip_advantage_enterprises_new": _enterprises(
        "当年首次认定的知识产权优势（含培育）企业", "ip_advantage_enterprises_new"
    ),
    "above_scale_enterprises": _enterprises("本期规上工业企业名录", "above_scale_enterprises"),
    "above_scale_zero_invention": RecordList("zero", "无有效发明专利的规上工业企业（清零对象）", _ZERO, ZERO_COLUMNS),
    "above_scale_invention_coverage": _enterprises(
        "本期规上工业企业（说明列：发明专利覆盖情况）", "above_scale_enterprises", _COVERAGE_FLAG,
        "指标的分母为名单中的企业数，分子为其中拥有有效发明专利的企业数。",
    ),
    "above_scale_ip_coverage": _enterprises(
        "本期规上工业企业（说明列：知识产权覆盖情况）", "above_scale_enterprises", _COVERAGE_FLAG,
        "指标的分母为名单中的企业数，分子为其中拥有任一有效专利或有效商标的企业数。",
    ),
    "key_enterprise_invention_patents": RecordList(
        "key", "重点企业及其有效发明专利", _KEY.format(condition="true"), KEY_COLUMNS,
        "指标为重点企业持有的不同发明专利件数，共有专利只计一次，故各企业件数之和可能大于指标值。",
    ),
    "key_enterprise_doubling_ratio": RecordList("key", "重点企业倍增进度", _KEY.format(condition="true"), KEY_COLUMNS),
    "key_enterprises_doubled": RecordList("key", "已实现倍增的重点企业", _KEY.format(condition="k.doubled"), KEY_COLUMNS),
    "fee_warning_patents": RecordList("fees", "年费即将到期或已逾期的有效发明专利", _FEES, FEE_COLUMNS),
}

UNAVAILABLE_NOTE = "数仓中暂无该指标的逐条记录表（需 marts 提供海外申请、质押登记明细），暂不能展开明细。"


def record_list(metric_code: str) -> RecordList:
    """The record list behind a metric; an unavailable one names why."""
    found = RECORD_LISTS.get(metric_code)
    if found is not None:
        return found
    return RecordList("unavailable", "暂无明细", note=UNAVAILABLE_NOTE)
