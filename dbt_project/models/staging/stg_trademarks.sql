-- One row per registration and class (reg_no x nice_class), the newest export's version of it.
with latest as (
    {{ latest_by_key('trademarks', 'reg_no, nice_class') }}
)

select
    reg_no,
    nice_class,
    name,
    registrant,
    {{ strip_postcode('address') }} as address,
    application_date,
    reg_date,
    coalesce(term_from, reg_date) as term_start,
    coalesce(term_end, term_to) as term_end,
    status,
    status_class,
    cancel_date,
    registrant_uscc,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
