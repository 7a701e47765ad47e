-- When each patent was in force: valid on [valid_from, valid_until). Granted on or before a date,
-- not lapsed by it (a patent is no longer valid on its lapse date) and within its term.
-- A lapsed status without a lapse date lapses at term end if the term had ended by the as-of date
-- of the file that supplied it; otherwise it is never counted as valid (and flagged at ingestion).
with patents as (
    select
        *,
        cast(case patent_type
            when 'invention' then application_date + to_years({{ setting('invention_term_years') }})
            when 'utility_model' then application_date + to_years({{ setting('utility_model_term_years') }})
            when 'design' then application_date + to_years(
                case when application_date >= date '{{ setting("design_term_change_date") }}'
                     then {{ setting('design_term_years') }} else {{ setting('design_term_years_before_change') }} end)
        end as date) as term_end,
        grant_date is not null and coalesce(status_class, 'valid') in ('valid', 'lapsed') as is_granted
    from {{ ref('stg_patents') }}
),

dated as (
    select
        *,
        case
            when status_class = 'lapsed' and lapse_date is not null then lapse_date
            when status_class = 'lapsed' and term_end <= file_as_of then term_end
        end as effective_lapse_date,
        status_class = 'lapsed' and lapse_date is null as lapse_date_missing,
        status_class = 'lapsed' and lapse_date is null and not (term_end <= file_as_of) as never_valid
    from patents
)

select
    application_no,
    patent_type,
    patent_type = 'invention' as is_invention,
    application_date,
    grant_date,
    term_end,
    effective_lapse_date,
    lapse_reason,
    lapse_date_missing,
    case when is_granted and not never_valid then grant_date end as valid_from,
    case
        when not is_granted or never_valid then null
        else least(coalesce(effective_lapse_date, term_end), term_end)
    end as valid_until
from dated
