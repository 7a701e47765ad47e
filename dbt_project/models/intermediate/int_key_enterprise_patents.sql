{{ config(tags=['period']) }}
-- For every window period: each key enterprise of the period's roster with the valid invention
-- patents it holds at period_end ('current') and at the doubling baseline date ('baseline').
with key_firms as (
    select period_end, enterprise_id, uscc, enterprise, region_code, industry
    from {{ ref('int_enterprise_period_status') }}
    where is_key_enterprise
),

holdings as (
    select * from {{ ref('int_enterprise_patent_holdings') }} where is_invention
)

select k.*, 'current' as as_of, h.application_no
from key_firms as k
join holdings as h
  on h.enterprise_id = k.enterprise_id and h.valid_from <= k.period_end
 and (h.valid_until is null or h.valid_until > k.period_end)
union all
select k.*, 'baseline', h.application_no
from key_firms as k
join holdings as h
  on h.enterprise_id = k.enterprise_id and h.valid_from <= date '{{ setting("doubling_baseline_date") }}'
 and (h.valid_until is null or h.valid_until > date '{{ setting("doubling_baseline_date") }}')
