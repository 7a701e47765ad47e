-- invention_per_10k: valid_invention_patents / (resident population / 10,000), NULL without population.
with stock as (
    select period_end, region_code, value
    from {{ ref('metric_invention_stock') }}
    where metric_code = 'valid_invention_patents' and industry_code = 'ALL'
)

select
    s.period_end,
    s.region_code,
    'ALL' as industry_code,
    'invention_per_10k' as metric_code,
    s.value / (p.population / 10000.0) as value,
    s.value as numerator,
    p.population / 10000.0 as denominator
from stock as s
left join {{ ref('population_used') }} as p using (period_end, region_code)
