{{ config(tags=['period']) }}
-- The valid invention patents of the key enterprises, per group (unit or the root, by 'ALL' or the
-- enterprise's industry), as spans of month-ends: a patent counts for a group at period_end p of
-- this run's window when span_from <= p <= span_to. 'current': at p some enterprise flagged 重点企业
-- on p's roster in that group holds it and it is valid at p. 'baseline': at p some such enterprise
-- holds it and it was valid at the doubling baseline date (setting doubling_baseline_date).
-- Spans of one (group, patent) never overlap, so counting the spans that cover p counts distinct
-- patents without a DISTINCT over period x enterprise x patent rows (66.6M rows and a 21 GB spill
-- at nation scale); a key enterprise stays in a group for runs of consecutive months.
with key_months as (
    select enterprise_id, region_code, industry, period_end,
           year(period_end) * 12 + month(period_end) as month_no
    from {{ ref('int_enterprise_period_status') }}
    where is_key_enterprise
),

-- runs of consecutive months in which an enterprise is a key enterprise with the same unit and industry
key_runs as (
    select enterprise_id, region_code, industry, min(period_end) as first_period, max(period_end) as last_period
    from (
        select *, month_no - row_number() over (
            partition by enterprise_id, region_code, industry order by period_end) as run_no
        from key_months
    )
    group by enterprise_id, region_code, industry, run_no
),

root as (select region_code from {{ ref('int_regions') }} where is_root),

memberships as (
    select region_code, 'ALL' as industry_code, enterprise_id, first_period, last_period from key_runs
    union all
    select (select region_code from root), 'ALL', enterprise_id, first_period, last_period from key_runs
    union all
    select region_code, industry, enterprise_id, first_period, last_period from key_runs where industry is not null
    union all
    select (select region_code from root), industry, enterprise_id, first_period, last_period
    from key_runs where industry is not null
),

holdings as (
    select h.enterprise_id, h.application_no, h.valid_from, h.valid_until
    from {{ ref('int_enterprise_patent_holdings') }} as h
    semi join (select distinct enterprise_id from key_runs) as k on k.enterprise_id = h.enterprise_id
    where h.is_invention
),

spans as (
    -- valid at month-end p: last_day(valid_from) <= p, and p < valid_until, i.e. p is at most the
    -- month-end before valid_until's month
    select m.region_code, m.industry_code, 'current' as as_of, h.application_no,
           greatest(m.first_period, last_day(h.valid_from)) as span_from,
           case when h.valid_until is null then m.last_period
                else least(m.last_period, cast(date_trunc('month', h.valid_until) - interval 1 day as date)) end as span_to
    from memberships as m
    join holdings as h using (enterprise_id)
    union all
    select m.region_code, m.industry_code, 'baseline', h.application_no, m.first_period, m.last_period
    from memberships as m
    join holdings as h using (enterprise_id)
    where h.valid_from <= date '{{ setting("doubling_baseline_date") }}'
      and (h.valid_until is null or h.valid_until > date '{{ setting("doubling_baseline_date") }}')
),

-- spans of the same (group, patent) from several enterprises or runs, merged where they overlap or touch
ordered as (
    select *,
        max(span_to) over (
            partition by region_code, industry_code, as_of, application_no order by span_from, span_to
            rows between unbounded preceding and 1 preceding) as reach_before
    from spans
    where span_from <= span_to
),

islands as (
    select *, sum(case when reach_before is null or span_from > last_day(reach_before + interval 1 day) then 1 else 0 end)
        over (partition by region_code, industry_code, as_of, application_no order by span_from, span_to
              rows unbounded preceding) as island
    from ordered
)

select region_code, industry_code, as_of, application_no, min(span_from) as span_from, max(span_to) as span_to
from islands
group by region_code, industry_code, as_of, application_no, island
