-- When each trademark registration (reg_no x class) was in force: valid on [valid_from, valid_until),
-- from its registration date through its (latest, renewed) term end inclusive, until cancelled.
-- Term end, when the export has none: registration date + 10 years - 1 day (商标法 art. 39).
-- An ended status without a cancellation date ends at term end if that was on or before the as-of
-- date of the supplying file; otherwise the registration is never counted valid (flagged at ingestion).
with marks as (
    select
        *,
        coalesce(term_end, cast(reg_date + interval 10 year - interval 1 day as date)) as effective_term_end
    from {{ ref('stg_trademarks') }}
)

select
    reg_no,
    nice_class,
    reg_date,
    effective_term_end as term_end,
    cancel_date,
    status_class,
    case
        when reg_date is null or status_class = 'never_registered' then null
        when status_class = 'ended' and cancel_date is null and not (effective_term_end <= file_as_of) then null
        else reg_date
    end as valid_from,
    case
        when reg_date is null or status_class = 'never_registered' then null
        when status_class = 'ended' and cancel_date is null and not (effective_term_end <= file_as_of) then null
        else least(cast(effective_term_end + interval 1 day as date), cancel_date)
    end as valid_until
from marks
