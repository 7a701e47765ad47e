-- One row per enterprise and above-scale roster year (above_scale_year is null for a firm on no roster).
with latest as (
    {{ latest_by_key('enterprises', 'uscc, above_scale_year') }}
)

select
    uscc,
    enterprise,
    area,
    industry_code,
    above_scale_year,
    coalesce(key_enterprise = 'true', false) as is_key_enterprise,
    {{ split_list('former_names') }} as former_names,
    {{ strip_postcode('address') }} as address,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
