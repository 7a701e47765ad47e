-- One row per IP advantage/demonstration designation: enterprise (credit code, else name) x level x year.
with latest as (
    {{ latest_by_key('ip_advantage', 'coalesce(uscc, enterprise), level, year') }}
)

select
    coalesce(uscc, enterprise) as enterprise_key,
    enterprise,
    uscc,
    level,
    year,
    valid_to,
    area,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
