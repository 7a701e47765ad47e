{{ config(materialized='incremental', incremental_strategy='append', tags=['period'],
          pre_hook="{{ delete_period_window() }}") }}
-- Each key enterprise of the period's roster against its doubling target: valid invention patents
-- now and at the baseline date (setting doubling_baseline_date); doubled = now >= 2 x baseline, or
-- >= 1 where the baseline is 0.
with key_firms as (
    select period_end, enterprise_id, uscc, enterprise, region_code, industry,
           valid_inventions as current_patents
    from {{ ref('int_enterprise_period_status') }}
    where is_key_enterprise
),

-- an enterprise's valid invention patents at the baseline date do not depend on the period
baseline as (
    select h.enterprise_id, count(*) as baseline_patents
    from {{ ref('int_enterprise_patent_holdings') }} as h
    semi join (select distinct enterprise_id from key_firms) as k on k.enterprise_id = h.enterprise_id
    where h.is_invention
      and h.valid_from <= date '{{ setting("doubling_baseline_date") }}'
      and (h.valid_until is null or h.valid_until > date '{{ setting("doubling_baseline_date") }}')
    group by h.enterprise_id
),

counts as (
    select k.period_end, k.enterprise_id, k.current_patents, b.baseline_patents
    from key_firms as k
    left join baseline as b using (enterprise_id)
)

select
    k.period_end,
    k.enterprise_id,
    k.uscc,
    k.enterprise,
    k.region_code,
    k.industry as industry_code,
    coalesce(c.baseline_patents, 0) as baseline_patents,
    coalesce(c.current_patents, 0) as current_patents,
    case when coalesce(c.baseline_patents, 0) > 0 then c.current_patents / c.baseline_patents end as ratio,
    case when coalesce(c.baseline_patents, 0) > 0 then coalesce(c.current_patents, 0) >= 2 * c.baseline_patents
         else coalesce(c.current_patents, 0) >= 1 end as doubled
from key_firms as k
left join counts as c using (period_end, enterprise_id)
