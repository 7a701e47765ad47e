{{ config(
    materialized='incremental',
    incremental_strategy='append',
    tags=['period'],
    pre_hook="{{ delete_period_window() }}"
) }}
-- The strategic-emerging view, for the periods of this run's window, for the city and every unit:
--   group_kind branch / sector / policy_industry / all: valid invention patents (metric_code
--     valid_invention_patents) and high-value ones (high_value_invention_patents, any of the five
--     criteria) among the patents the table takes by their IPC symbols, keywords aside
--     (int_patent_strategic_emerging.ipc_branch_codes); policy_industry: Puyang's four emerging
--     industries as the branches seed policy_industry_branches maps them (a patent counted once);
--   group_kind keyword_mode: high-value criterion ① (hv_strategic_emerging) under each keyword
--     mode, so that the glossary shows how much the reading of the keywords matters.
with patents as (
    select
        p.region_code,
        hv.valid_from,
        hv.valid_until,
        hv.high_value_from,
        se.ipc_branch_codes,
        se.ipc_sector_codes,
        se.taken_by_title,
        se.taken_by_title_abstract
    from {{ ref('int_patent_strategic_emerging') }} as se
    join {{ ref('int_pack_patents') }} as p using (application_no)
    join {{ ref('int_patent_high_value') }} as hv using (application_no)
),

policy as (
    select industry_code, list(branch_code) as branch_codes
    from {{ ref('policy_industry_branches') }}
    group by industry_code
),

memberships as (
    select region_code, valid_from, valid_until, high_value_from, 'branch' as group_kind, unnest(ipc_branch_codes) as group_code
    from patents
    union all
    select region_code, valid_from, valid_until, high_value_from, 'sector', unnest(ipc_sector_codes)
    from patents
    union all
    select pt.region_code, pt.valid_from, pt.valid_until, pt.high_value_from, 'policy_industry', po.industry_code
    from patents as pt
    join policy as po on list_has_any(pt.ipc_branch_codes, po.branch_codes)
    union all
    select region_code, valid_from, valid_until, high_value_from, 'all', 'strategic_emerging'
    from patents
),

intervals as (
    select region_code, 'valid_invention_patents|' || group_kind || '|' || group_code as industry_code, valid_from, valid_until
    from memberships
    union all
    select region_code, 'high_value_invention_patents|' || group_kind || '|' || group_code, high_value_from, valid_until
    from memberships
    union all
    select region_code, 'hv_strategic_emerging|keyword_mode|ignore', valid_from, valid_until from patents
    union all
    select region_code, 'hv_strategic_emerging|keyword_mode|title', valid_from, valid_until from patents where taken_by_title
    union all
    select region_code, 'hv_strategic_emerging|keyword_mode|title_abstract', valid_from, valid_until from patents where taken_by_title_abstract
),

stock as {{ stock_by_period('intervals') }}

select
    s.period_end,
    s.region_code,
    split_part(s.industry_code, '|', 2) as group_kind,
    split_part(s.industry_code, '|', 3) as group_code,
    split_part(s.industry_code, '|', 1) as metric_code,
    s.value
from stock as s
join {{ ref('int_periods') }} as p on p.period_end = s.period_end and p.in_window
where s.industry_code <> 'ALL'
