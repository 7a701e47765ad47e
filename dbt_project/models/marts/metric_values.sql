{{ config(
    materialized='incremental',
    incremental_strategy='append',
    tags=['period'],
    pre_hook="{{ delete_period_window() }}"
) }}
-- Every metric for the city, every unit (and UNATTRIBUTED) and industry, one row per combination,
-- for the periods of this run's window. Each metric is defined in one model under metrics/.
with all_metrics as (
    select * from {{ ref('metric_invention_stock') }}
    union all select * from {{ ref('metric_per_10k') }}
)

select
    m.period_end,
    m.region_code,
    m.industry_code,
    m.metric_code,
    m.value,
    m.numerator,
    m.denominator
from all_metrics as m
join {{ ref('int_periods') }} as p on p.period_end = m.period_end and p.in_window
