{{ config(materialized='incremental', incremental_strategy='append', tags=['period'],
          pre_hook="{{ delete_period_window() }}") }}
-- Annual-fee warnings for valid invention patents at each period_end. With 年费缴至年度 n, the next
-- fee (for patent year n+1) is due on the n-th anniversary of the filing date:
--   due_soon   due within the next fee_warning_window_days
--   grace      up to fee_grace_months overdue (surcharge: none in the first month, then 5% of the
--              year's fee per started month, up to 25% in month 6)
--   lapse_risk in the last month of grace
-- Without fee data the state is 'unknown' (listed when the next anniversary falls in the window),
-- never a guess.
with periods as (select period_end from {{ ref('int_periods') }} where in_window),

valid as (
    select p.period_end, v.application_no, v.application_date, s.fee_paid_through_year, s.title,
           s.first_patentee, h.uscc, v.region_code
    from periods as p
    -- the pack's inventions only (int_pack_patents): the period join multiplies only those, not
    -- every invention of the export
    join {{ ref('int_pack_patents') }} as v
      on v.is_invention and v.valid_from <= p.period_end and (v.valid_until is null or v.valid_until > p.period_end)
    join {{ ref('stg_patents') }} as s using (application_no)
    left join {{ ref('int_patent_holders') }} as h on h.application_no = v.application_no and h.is_first
),

dated as (
    select
        *,
        case
            when fee_paid_through_year is not null
                then cast(application_date + to_years(fee_paid_through_year) as date)
            else cast(application_date + to_years(
                     date_diff('year', application_date, period_end)
                     + case when application_date + to_years(date_diff('year', application_date, period_end)) < period_end then 1 else 0 end
                 ) as date)
        end as due_date
    from valid
),

with_year as (
    select *, date_diff('year', application_date, due_date) + 1 as fee_patent_year from dated
),

months_late as (
    select
        *,
        -- started months since the due date (1 = the first month late)
        case when period_end >= due_date then
            date_diff('month', due_date, period_end)
            - case when due_date + to_months(date_diff('month', due_date, period_end)) > period_end then 1 else 0 end + 1
        end as started_month
    from with_year
),

stated as (
    select
        m.*,
        f.fee_yuan,
        case
            when fee_paid_through_year is null then
                case when due_date >= period_end and due_date - period_end <= {{ setting('fee_warning_window_days') }} then 'unknown' end
            when period_end < due_date and due_date - period_end <= {{ setting('fee_warning_window_days') }} then 'due_soon'
            when period_end >= due_date and period_end < due_date + to_months({{ setting('fee_grace_months') }}) then
                case when period_end >= due_date + to_months({{ setting('fee_grace_months') }} - 1) then 'lapse_risk' else 'grace' end
        end as state
    from months_late as m
    left join {{ ref('annual_fee_schedule') }} as f
      on f.patent_type = 'invention' and m.fee_patent_year between f.from_year and f.to_year
)

select
    period_end,
    application_no,
    title,
    first_patentee as patentee,
    uscc,
    region_code,
    due_date,
    fee_yuan,
    case when state in ('grace', 'lapse_risk')
         then fee_yuan * least(0.05 * (started_month - 1), 0.25) else 0 end as surcharge_yuan,
    state
from stated
where state is not null
