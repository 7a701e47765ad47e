{{ config(tags=['period']) }}
-- Each city target (seed `targets`) against the city's value at every period of the target year.
-- met: the comparator holds; on_track: the linear path from the previous year-end value (0 for
-- year-to-date metrics) to the target by December holds at this month; else behind; no_data when
-- there is no value. gap is in the metric's unit, positive while the target is not yet reached.
with ctx as (select region_pack from {{ ref('int_build_context') }}),
root as (select region_code from {{ ref('int_regions') }} where is_root),

targets as (
    select t.metric_code, t.year, t.comparator, t.target
    from {{ ref('targets') }} as t
    join ctx on t.pack = ctx.region_pack
    where t.region_code = (select region_code from root)
),

city as (
    select period_end, metric_code, value
    from {{ ref('metric_values') }}
    where region_code = (select region_code from root) and industry_code = 'ALL'
),

flow_metrics as (
    select metric_code from {{ ref('metric_definitions') }} where period_kind = 'flow'
),

year_periods as (
    select t.*, c.period_end, c.value as actual, month(c.period_end) as months_elapsed
    from targets as t
    join city as c on c.metric_code = t.metric_code and year(c.period_end) = t.year
),

with_baseline as (
    select
        y.*,
        case when y.metric_code in (select metric_code from flow_metrics) then 0 else prev.value end as baseline
    from year_periods as y
    left join city as prev
      on prev.metric_code = y.metric_code and prev.period_end = make_date(y.year - 1, 12, 31)
),

judged as (
    select
        year, period_end, metric_code, comparator, target, actual,
        case when comparator = '<=' then actual - target else target - actual end as gap,
        baseline + (target - baseline) * months_elapsed / 12.0 as expected_by_now,
        case
            when actual is null then 'no_data'
            when (comparator = '>=' and actual >= target) or (comparator = '>' and actual > target)
                 or (comparator = '<=' and actual <= target) then 'met'
            when baseline is not null and (
                    (comparator in ('>=', '>') and actual >= baseline + (target - baseline) * months_elapsed / 12.0)
                 or (comparator = '<=' and actual <= baseline + (target - baseline) * months_elapsed / 12.0)) then 'on_track'
            else 'behind'
        end as status
    from with_baseline
),

no_periods as (
    select t.year, make_date(t.year, 12, 31) as period_end, t.metric_code, t.comparator, t.target,
           cast(null as double) as actual, cast(null as double) as gap, cast(null as double) as expected_by_now,
           'no_data' as status
    from targets as t
    where not exists (select 1 from year_periods as y where y.metric_code = t.metric_code and y.year = t.year)
)

select cast(year as integer) as year, period_end, metric_code, comparator, target, actual, gap, status, expected_by_now
from judged
union all
select cast(year as integer), period_end, metric_code, comparator, target, actual, gap, status, expected_by_now
from no_periods
