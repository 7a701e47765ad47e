{{ config(tags=['period']) }}
-- The resident population each per-10k value divides by: the region's figure for the period's year,
-- else its latest earlier year. The root uses its own row when the source has one for that year or
-- earlier; only otherwise the sum of its units' figures, naming the units missing from that sum.
with periods as (select period_end, period_year from {{ ref('int_periods') }}),
regions as (select region_code, region_name, is_root from {{ ref('int_regions') }} where region_code <> 'UNATTRIBUTED'),

own as (
    select p.period_end, r.region_code, r.region_name, r.is_root, pop.population, pop.year as population_year, pop.series
    from periods as p
    cross join regions as r
    asof left join {{ ref('stg_population') }} as pop
      on pop.region_code = r.region_code and p.period_year >= pop.year
),

unit_sum as (
    select
        period_end,
        sum(population) as population,
        max(population_year) as population_year,
        string_agg(distinct series, '、' order by series) as series,
        string_agg(region_name, '、' order by region_code) filter (where population is null) as missing_units,
        count(population) as units_with_population
    from own
    where not is_root
    group by period_end
)

select
    o.period_end,
    o.region_code,
    case when o.is_root and o.population is null and u.units_with_population > 0 then u.population else o.population end as population,
    case when o.is_root and o.population is null and u.units_with_population > 0 then u.population_year else o.population_year end as population_year,
    case when o.is_root and o.population is null and u.units_with_population > 0 then u.series else o.series end as series,
    case
        when o.is_root and o.population is null and u.units_with_population > 0
            then '市级人口缺失，按各单位人口合计' || coalesce('；合计中缺少：' || u.missing_units, '')
        when o.population is null then '缺少' || o.region_name || '在该年及以前年份的常住人口，无法计算万人指标'
    end as note
from own as o
left join unit_sum as u using (period_end)
union all
select period_end, 'UNATTRIBUTED', null, null, null, '未归属记录没有对应的人口，不计算万人指标'
from periods
