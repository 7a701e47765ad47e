-- One row per pledge registration; a registration may cover several patents.
with latest as (
    {{ latest_by_key('pledges', 'registration_no') }}
)

select
    registration_no,
    {{ split_list('application_no') }} as application_nos,
    pledgor,
    pledgee,
    amount_wan,
    registration_date,
    release_date,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
