{{ config(tags=['period']) }}
-- Every month-end the warehouse reports on, flagged with whether this run rebuilds it.
with range as (select * from {{ ref('int_data_range') }}),
ctx as (select * from {{ ref('int_build_context') }}),

months as (
    select last_day(cast(m as date)) as period_end
    from range, generate_series(date_trunc('month', range.first_period), range.last_period, interval 1 month) as t(m)
)

select
    period_end,
    year(period_end) as period_year,
    make_date(year(period_end), 1, 1) as year_start,
    period_end between (select period_start from ctx) and (select period_end from ctx) as in_window
from months
