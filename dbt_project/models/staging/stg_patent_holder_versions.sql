-- Patents whose loaded exports name more than one first patentee: one row per run of consecutive
-- exports (by as-of date) that name the same first patentee. holder_from is the as-of date of the
-- run's first export (null for the first run: that holder is the earliest known and stands for every
-- earlier month), holder_until the next run's holder_from (null for the newest run, which is the
-- version stg_patents keeps). A later export naming another holder is a transfer: the as-of date of
-- the export that first shows the new holder is taken as the transfer date (setting
-- attribution_as_of). Address and credit code are the run's first export's.
with versions as (
    -- one version per patent and as-of date (the last row of the last file of that date, as
    -- latest_by_key picks the newest)
    select
        application_no,
        _file_as_of as file_as_of,
        {{ split_list('patentees') }}[1] as first_patentee,
        patentee_uscc,
        {{ strip_postcode('address') }} as address
    from {{ source('raw', 'patents') }}
    where application_no in (
        select application_no from {{ source('raw', 'patents') }}
        group by application_no
        having count(distinct {{ split_list('patentees') }}[1]) > 1
    )
    qualify row_number() over (
        partition by application_no, _file_as_of order by _source_file desc, _row_number desc) = 1
),

runs as (
    select *,
        first_patentee is distinct from lag(first_patentee) over (
            partition by application_no order by file_as_of) as starts_run
    from versions
),

starts as (
    select *,
        row_number() over (partition by application_no order by file_as_of) as run_no,
        lead(file_as_of) over (partition by application_no order by file_as_of) as next_run_from
    from runs
    where starts_run
)

select
    application_no,
    run_no,
    case when run_no > 1 then file_as_of end as holder_from,
    next_run_from as holder_until,
    next_run_from is null as is_newest,
    first_patentee,
    patentee_uscc,
    address,
    file_as_of
from starts
