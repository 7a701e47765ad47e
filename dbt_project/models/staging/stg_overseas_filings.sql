-- One row per international or foreign filing (filing_no).
with latest as (
    {{ latest_by_key('overseas_filings', 'filing_no') }}
)

select
    filing_no,
    kind,
    filing_date,
    {{ split_list('applicant') }}[1] as applicant,
    {{ split_list('applicant') }} as applicant_list,
    {{ strip_postcode('address') }} as address,
    applicant_uscc,
    {{ split_list('countries') }} as countries,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
