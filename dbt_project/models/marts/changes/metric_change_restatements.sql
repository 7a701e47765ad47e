-- Transfers seen in the landing folder: a patent whose export names another first patentee than
-- the export before it, by the month-end of the newer export's as-of date (the patentee runs of
-- stg_patent_holder_versions). With attribution_as_of = newest the warehouse counts a patent for its
-- newest holder's unit at every period, so a transfer restates the patent's history instead of
-- moving a month's count, and the 通报 reports these beside the decomposition; with period (default)
-- the decomposition has them as transfer parts.
with ordered as (
    select application_no, holder_from as file_as_of, first_patentee,
           lag(first_patentee) over (partition by application_no order by run_no) as previous_patentee
    from {{ ref('stg_patent_holder_versions') }}
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
