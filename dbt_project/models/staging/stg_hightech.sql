-- One row per high-tech enterprise certificate (certificate_no); valid hightech_valid_years from issue.
with latest as (
    {{ latest_by_key('hightech', 'certificate_no') }}
)

select
    certificate_no,
    enterprise,
    uscc,
    coalesce(issue_date, make_date(cast(substr(certificate_no, 3, 4) as integer), 1, 1)) as issue_date,
    issue_date is null as issue_date_from_certificate_year,
    batch,
    area,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
