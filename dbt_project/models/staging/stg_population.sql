-- One row per region and year: resident population (persons) and the series it comes from.
with latest as (
    {{ latest_by_key('population', 'region_code, year') }}
)

select
    region_code,
    year,
    region_name,
    population,
    coalesce(series, '未注明口径') as series,
    _source_file as source_file
from latest
