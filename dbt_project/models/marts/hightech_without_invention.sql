{{ config(materialized='incremental', incremental_strategy='append', tags=['period'],
          pre_hook="{{ delete_period_window() }}") }}
-- Action list: high-tech enterprises (certificate valid at period_end) holding no valid invention patent.
with certificates as (
    select d.enterprise_id, d.source_key as certificate_no, d.valid_until
    from {{ ref('int_enterprise_designations') }} as d
    where d.kind = 'hightech'
)

select
    s.period_end,
    s.enterprise_id,
    s.uscc,
    s.enterprise,
    s.region_code,
    s.industry as industry_code,
    c.certificate_no,
    c.valid_until
from {{ ref('int_enterprise_period_status') }} as s
join certificates as c
  on c.enterprise_id = s.enterprise_id and c.valid_until > s.period_end
where s.is_hightech and s.valid_inventions = 0
qualify row_number() over (partition by s.period_end, s.enterprise_id order by c.valid_until desc) = 1
