-- One row per award given to a patent.
with latest as (
    {{ latest_by_key('awards', 'application_no, award') }}
)

select
    application_no,
    award,
    year,
    _source_file as source_file
from latest
