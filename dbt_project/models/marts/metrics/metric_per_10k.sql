-- invention_per_10k and high_value_per_10k: the city's / unit's valid (high-value) invention
-- patents per 10,000 residents, with the population of marts.population_used; NULL without one.
with stock as (
    select period_end, region_code, metric_code, value
    from {{ ref('metric_invention_stock') }}
    where metric_code = 'valid_invention_patents' and industry_code = 'ALL'
    union all
    select period_end, region_code, metric_code, value
    from {{ ref('metric_high_value') }}
    where metric_code = 'high_value_invention_patents' and industry_code = 'ALL'
)

select
    s.period_end,
    s.region_code,
    'ALL' as industry_code,
    case s.metric_code when 'valid_invention_patents' then 'invention_per_10k' else 'high_value_per_10k' end as metric_code,
    s.value / (p.population / 10000.0) as value,
    s.value as numerator,
    p.population / 10000.0 as denominator
from stock as s
left join {{ ref('population_used') }} as p using (period_end, region_code)
