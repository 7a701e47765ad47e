{{ config(
    materialized='incremental',
    incremental_strategy='append',
    tags=['period'],
    pre_hook="{{ delete_period_window() }}"
) }}
-- Every metric for the city, every unit (and UNATTRIBUTED) and industry, one row per combination,
-- for the periods of this run's window. Each metric is defined in one model under metrics/.
{%- set metric_models = [
    'metric_invention_stock', 'metric_per_10k', 'metric_high_value', 'metric_invention_grants',
    'metric_trademarks', 'metric_overseas', 'metric_hightech', 'metric_srdi', 'metric_ip_advantage',
    'metric_above_scale', 'metric_key_enterprises', 'metric_pledges', 'metric_fees',
] %}
with all_metrics as (
    {%- for name in metric_models %}
    select period_end, region_code, industry_code, metric_code, value, numerator, denominator from {{ ref(name) }}
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
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
