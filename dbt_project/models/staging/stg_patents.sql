-- One row per patent application (application_no), the newest export's version of it.
with latest as (
    {{ latest_by_key('patents', 'application_no') }}
)

select
    application_no,
    application_date,
    patent_type,
    title,
    abstract,
    {{ split_list('patentees') }} as patentee_list,
    {{ split_list('patentees') }}[1] as first_patentee,
    {{ strip_postcode('address') }} as address,
    regexp_extract(address, '^\s*(\d{6})', 1) as postcode,
    grant_date,
    grant_pub_no,
    legal_status,
    status_class,
    lapse_reason,
    lapse_date,
    ipc_main,
    list_distinct(list_filter(list_concat([ipc_main], {{ split_list('ipc_all') }}), lambda x: x is not null)) as ipc_list,
    patentee_uscc,
    list_transform({{ split_list('family_countries') }}, lambda x: upper(x)) as family_countries,
    fee_paid_through_year,
    applicant_type,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
