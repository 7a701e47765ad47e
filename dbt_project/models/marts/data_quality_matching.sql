-- How well records are tied to enterprises: per source, the records matched by each method and
-- their share (percent of the source's records). Matched (is_matched): credit_code (the record's
-- own code), override (the engineer's decision), exact_name, fuzzy. Not matched: ambiguous (on the
-- review list), name_only (an organisation known by its name only), person (an individual),
-- no_name. Patents count by their first patentee; patent_holders counts every patentee.
with records as (
    select 'patents' as source, match_method from {{ ref('int_patent_holders') }} where is_first
    union all select 'patent_holders', match_method from {{ ref('int_patent_holders') }}
    union all select 'trademarks', match_method from {{ ref('int_trademark_attribution') }}
    union all select roster, match_method from {{ ref('int_roster_enterprises') }}
    union all select 'overseas_filings', match_method from {{ ref('int_overseas_attribution') }}
    union all select 'pledges', coalesce(match_method, 'no_name') from {{ ref('int_pledge_attribution') }}
),

counted as (
    select source, match_method, count(*) as records
    from records
    group by all
)

select
    source,
    match_method,
    case match_method
        when 'credit_code' then '统一社会信用代码'
        when 'override' then '人工确认'
        when 'exact_name' then '名称完全一致'
        when 'fuzzy' then '名称相似匹配'
        when 'ambiguous' then '有歧义，待人工确认'
        when 'name_only' then '仅有名称的机构'
        when 'person' then '个人'
        else '无名称'
    end as method_label,
    match_method in ('credit_code', 'override', 'exact_name', 'fuzzy') as is_matched,
    records,
    sum(records) over (partition by source) as source_records,
    round(100.0 * records / sum(records) over (partition by source), 2) as share_pct
from counted
order by source, records desc
