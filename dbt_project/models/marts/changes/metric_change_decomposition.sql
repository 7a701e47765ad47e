{{ config(tags=['period']) }}
-- Why each stock metric moved between two month-ends, for the city and every unit: for the month
-- (the previous month-end to period_end) and the year to date (31 December of the previous year to
-- period_end). change = end_value - start_value (the stock counted from the same events, equal to
-- metric_values after a whole build) and the parts of a row group sum to it exactly:
--   count metrics: one part per cause of metric_change_events (records in: grant, registration,
--     certified, joined_roster, designated, became_high_value, invention_lost, transfer_in,
--     reattribution_in;
--     records out: lapse_unpaid_fee, term_expiry, lapse_invalidated, lapse_abandoned, lapse_other,
--     cancelled, certificate_expired, left_roster, designation_expired, invention_gained,
--     transfer_out, reattribution_out);
--   per-10k metrics: each count part divided by the start population (万人), plus
--     population_effect = end count / end population - end count / start population.
-- A record that enters and leaves inside the window is in neither month-end's count and in no part.
-- Transfers and re-attribution are parts when attribution_as_of = period (the default); with newest
-- they restate history instead (see metric_change_events) and are no part.
-- Rows only where the start month-end is a period of the warehouse.
{%- set count_metrics = ['valid_invention_patents', 'high_value_invention_patents', 'valid_trademarks',
                         'hightech_enterprises', 'above_scale_enterprises', 'srdi_sme_valid',
                         'little_giant_valid', 'ip_advantage_enterprises_total', 'above_scale_zero_invention'] %}
{%- set per_10k = {'invention_per_10k': 'valid_invention_patents', 'high_value_per_10k': 'high_value_invention_patents'} %}
with periods as (
    select period_end from {{ ref('int_periods') }}
),

root as (select region_code from {{ ref('int_regions') }} where is_root),

windows as (
    select p.period_end, 'month' as comparison, last_day(p.period_end - interval 1 month) as start_period
    from periods as p
    union all
    select p.period_end, 'ytd', make_date(year(p.period_end) - 1, 12, 31)
    from periods as p
),

-- the events counted per month and kind first (millions of records become thousands of rows):
-- other_same_year = the record's other month-end when it falls in the event's year, before_year =
-- the record entered in an earlier year
unit_events as (
    select metric_code, region_code, delta, cause, event_month,
           case when year(other_month) = year(event_month) then other_month end as other_same_year,
           coalesce(year(other_month) < year(event_month), false) as before_year,
           count(*) as n
    from {{ ref('metric_change_events') }}
    group by all
),

events as (
    select * from unit_events
    union all
    select metric_code, (select region_code from root), delta, cause, event_month, other_same_year, before_year, sum(n)
    from unit_events
    group by all
),

-- in: entered after the start and still counted at the end; out: counted at the start, gone by the end.
-- Month: every event of the month qualifies (a record in and out in one month has no events).
-- Year to date: an entry whose exit is later this year only if that exit is after period_end; an
-- exit only of a record that entered before this year.
parts_counted as (
    select w.period_end, w.comparison, e.region_code, e.metric_code, e.cause as part_code,
           sum(e.delta * e.n) as value, sum(e.n) as records
    from windows as w
    join events as e
      on e.event_month > w.start_period and e.event_month <= w.period_end
     and (w.comparison = 'month'
          or (case when e.delta > 0 then e.other_same_year is null or e.other_same_year > w.period_end
                   else e.before_year end))
    group by all
),

-- The stock at every month-end from the same events (as stock_by_period counts metric_values), so
-- the parts always sum to the change, also after a build that rebuilt only some periods: there
-- metric_values keeps older periods as they were built, these values follow the current records.
-- After a whole build they equal metric_values (tested).
regions as (select region_code from {{ ref('int_regions') }}),

monthly_deltas as (
    select metric_code, region_code, event_month as period_end, sum(delta * n) as delta
    from events
    group by all
),

counts as (
    select p.period_end, r.region_code, m.metric_code,
           cast(sum(coalesce(d.delta, 0)) over (
               partition by r.region_code, m.metric_code order by p.period_end rows unbounded preceding) as double) as value
    from periods as p
    cross join regions as r
    cross join (select unnest([{% for m in count_metrics %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %}]) as metric_code) as m
    left join monthly_deltas as d using (period_end, region_code, metric_code)
),

population as (
    select period_end, region_code, nullif(population, 0) / 10000.0 as population_wan
    from {{ ref('population_used') }}
),

values_ as (
    select period_end, region_code, metric_code, value, value as numerator, cast(null as double) as denominator
    from counts
    {%- for rate, base in per_10k.items() %}
    union all
    select c.period_end, c.region_code, '{{ rate }}', c.value / p.population_wan, c.value, p.population_wan
    from counts as c
    left join population as p using (period_end, region_code)
    where c.metric_code = '{{ base }}'
    {%- endfor %}
),

spans as (
    select w.period_end, w.comparison, w.start_period, e.region_code, e.metric_code,
           s.value as start_value, e.value as end_value,
           s.numerator as start_numerator, e.numerator as end_numerator,
           s.denominator as start_population, e.denominator as end_population
    from windows as w
    join values_ as e on e.period_end = w.period_end
    join values_ as s on s.period_end = w.start_period and s.region_code = e.region_code and s.metric_code = e.metric_code
),

count_parts as (
    select s.period_end, s.comparison, s.start_period, s.region_code, s.metric_code,
           s.start_value, s.end_value, p.part_code, cast(p.value as double) as value, p.records
    from spans as s
    join parts_counted as p using (period_end, comparison, region_code, metric_code)
    where s.metric_code in ({% for m in count_metrics %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

rate_parts as (
    {%- for rate, base in per_10k.items() %}
    select s.period_end, s.comparison, s.start_period, s.region_code, s.metric_code,
           s.start_value, s.end_value, p.part_code,
           case when s.start_population > 0 and s.end_population > 0 then p.value / s.start_population end as value,
           p.records
    from spans as s
    join parts_counted as p
      on p.period_end = s.period_end and p.comparison = s.comparison and p.region_code = s.region_code
     and p.metric_code = '{{ base }}'
    where s.metric_code = '{{ rate }}'
    union all
    select s.period_end, s.comparison, s.start_period, s.region_code, s.metric_code,
           s.start_value, s.end_value, 'population_effect',
           case when s.start_population > 0 and s.end_population > 0
                then s.end_numerator / s.end_population - s.end_numerator / s.start_population end,
           null
    from spans as s
    where s.metric_code = '{{ rate }}' and s.start_population is distinct from s.end_population
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- every span gets a row even when nothing moved (part 'none', value 0, NULL when a value is missing)
quiet as (
    select s.period_end, s.comparison, s.start_period, s.region_code, s.metric_code,
           s.start_value, s.end_value, 'none' as part_code,
           case when s.start_value is not null and s.end_value is not null then cast(0 as double) end as value, 0 as records
    from spans as s
    where not exists (select 1 from count_parts as c where c.period_end = s.period_end and c.comparison = s.comparison
                        and c.region_code = s.region_code and c.metric_code = s.metric_code)
      and not exists (select 1 from rate_parts as r where r.period_end = s.period_end and r.comparison = s.comparison
                        and r.region_code = s.region_code and r.metric_code = s.metric_code)
),

all_parts as (
    select * from count_parts
    union all select * from rate_parts
    union all select * from quiet
)

select
    a.period_end,
    a.comparison,
    a.start_period,
    a.region_code,
    a.metric_code,
    a.start_value,
    a.end_value,
    a.end_value - a.start_value as change,
    a.part_code,
    c.part_name,
    c.part_order,
    a.value,
    cast(a.records as bigint) as records
from all_parts as a
left join {{ ref('change_parts') }} as c using (part_code)
