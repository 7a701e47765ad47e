-- key_enterprise_invention_patents: distinct valid invention patents held by the enterprises flagged
-- 重点企业 on the period's roster (a unit counts its own key enterprises' patents, so units need not
-- add up to the city when key enterprises of two units co-own a patent); by the enterprise's industry.
-- key_enterprise_doubling_ratio: that count / the same enterprises' distinct valid invention patents
-- at the baseline date. key_enterprises_doubled: key enterprises whose own count reached 2 x baseline
-- (or >= 1 where the baseline is 0).
with spans as (select * from {{ ref('int_key_enterprise_patent_spans') }}),

-- a patent counts at each month-end its span covers (spans of one group and patent never overlap,
-- so these are distinct patents); the join streams into a count per group, never a DISTINCT
distinct_counts as (
    select p.period_end, s.region_code, s.industry_code,
           count(*) filter (where s.as_of = 'current') as current_patents,
           count(*) filter (where s.as_of = 'baseline') as baseline_patents
    from {{ ref('int_periods') }} as p
    join spans as s on p.period_end between s.span_from and s.span_to
    where p.in_window
    group by all
),

firms as (
    select period_end, region_code, industry_code as industry, case when doubled then 1 else 0 end as num, 1 as den
    from {{ ref('key_enterprise_progress') }}
    where period_end in (select period_end from {{ ref('int_periods') }} where in_window)
),

spine as (
    select p.period_end, r.region_code, 'ALL' as industry_code
    from {{ ref('int_periods') }} as p cross join {{ ref('int_regions') }} as r
    where p.in_window
    union
    select period_end, region_code, industry_code from distinct_counts where industry_code <> 'ALL'
)

select s.period_end, s.region_code, s.industry_code, 'key_enterprise_invention_patents' as metric_code,
       cast(coalesce(d.current_patents, 0) as double) as value, cast(coalesce(d.current_patents, 0) as double) as numerator,
       cast(null as double) as denominator
from spine as s left join distinct_counts as d using (period_end, region_code, industry_code)
union all
select s.period_end, s.region_code, s.industry_code, 'key_enterprise_doubling_ratio',
       case when d.baseline_patents > 0 then d.current_patents / d.baseline_patents end,
       cast(coalesce(d.current_patents, 0) as double), cast(coalesce(d.baseline_patents, 0) as double)
from spine as s left join distinct_counts as d using (period_end, region_code, industry_code)
union all
select * from {{ window_metric('firms', 'key_enterprises_doubled', 'count') }}
