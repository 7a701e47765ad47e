-- Transfers seen in the landing folder: a patent whose export names another first patentee than
-- the export before it, by the newer export's as-of month-end. With attribution_as_of = newest the
-- warehouse counts a patent for its newest holder's unit at every period, so a transfer restates the
-- patent's history instead of moving a month's count, and the 通报 reports these beside the
-- decomposition; with period (default) the decomposition has them as transfer parts.
with pack as (
    select application_no from {{ ref('int_pack_patents') }}
),

-- only patents with more than one loaded version can have changed holder
several as (
    select r.application_no
    from {{ source('raw', 'patents') }} as r
    semi join pack as k on k.application_no = r.application_no
    group by r.application_no
    having count(*) > 1
),

versions as (
    select
        r.application_no,
        r._file_as_of as file_as_of,
        {{ split_list('r.patentees') }}[1] as first_patentee,
        r._source_file, r._row_number
    from {{ source('raw', 'patents') }} as r
    semi join several as s on s.application_no = r.application_no
),

ordered as (
    select *,
        lag(first_patentee) over (partition by application_no order by file_as_of, _source_file, _row_number) as previous_patentee
    from versions
)

select
    o.application_no,
    p.region_code,
    p.is_invention,
    o.previous_patentee,
    o.first_patentee as new_patentee,
    o.file_as_of,
    last_day(o.file_as_of) as seen_month
from ordered as o
join {{ ref('int_pack_patents') }} as p using (application_no)
where o.previous_patentee is not null and o.first_patentee is not null
  and o.previous_patentee <> o.first_patentee
