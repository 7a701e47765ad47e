-- One row per SRDI roster entry: enterprise (credit code, else name) x level x year x stage.
with latest as (
    {{ latest_by_key('srdi', 'coalesce(uscc, enterprise), level, year, stage') }}
)

select
    coalesce(uscc, enterprise) as enterprise_key,
    enterprise,
    uscc,
    level,
    year,
    batch,
    stage,
    coalesce(valid_from, validity_from) as valid_from,
    coalesce(valid_to, validity_to) as valid_to,
    area,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
