{{ config(tags=['period']) }}
-- depends_on: {{ ref('metric_definitions') }}
-- The per-unit assessment: for every period and assessment unit, each assessed metric's value
-- (column <metric_code>) and its rank among the units (column <metric_code>_rank; 1 = best by the
-- metric's direction; units without a value rank last). UNATTRIBUTED is not assessed.
{%- set assessed = [] %}
{%- if execute %}
{%- set assessed = run_query("select metric_code, direction from " ~ ref('metric_definitions') ~ " where assessed order by sort_order").rows %}
{%- endif %}
with units as (
    select region_code, region_name, sort_order from {{ ref('int_regions') }} where is_assessment_unit
),

values as (
    select m.period_end, m.region_code, m.metric_code, m.value
    from {{ ref('metric_values') }} as m
    join units using (region_code)
    where m.industry_code = 'ALL'
),

ranked as (
    select
        *,
        rank() over (
            partition by period_end, metric_code
            order by case when value is null then 1 else 0 end,
            {%- for code, direction in assessed %}
                {%- if direction == 'lower_better' %}
                case when metric_code = '{{ code }}' then value end asc,
                {%- endif %}
            {%- endfor %}
                value desc
        ) as value_rank
    from values
)

select
    p.period_end,
    u.region_code,
    u.region_name
    {%- for code, direction in assessed %},
    max(r.value) filter (where r.metric_code = '{{ code }}') as {{ code }},
    max(r.value_rank) filter (where r.metric_code = '{{ code }}') as {{ code }}_rank
    {%- endfor %}
from (select distinct period_end from values) as p
cross join units as u
left join ranked as r on r.period_end = p.period_end and r.region_code = u.region_code
group by p.period_end, u.region_code, u.region_name, u.sort_order
order by p.period_end, u.sort_order
