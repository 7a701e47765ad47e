-- Patents whose loaded exports name different patentees over time: one row per run of consecutive
-- exports (by as-of date) that name the same patentees in the same order. holder_from is the as-of
-- date of the run's first export (null for the first run: those holders are the earliest known and
-- stand for every earlier month), holder_until the next run's holder_from (null for the newest run,
-- which is the version stg_patents keeps). A later export naming other holders is a transfer: the
-- as-of date of the export that first shows them is taken as the transfer date (setting
-- attribution_as_of). Address and credit code (the first patentee's) are the run's first export's.
select application_no, run_no, holder_from, holder_until, is_newest,
       {{ split_list('holder') }} as patentee_list,
       {{ split_list('holder') }}[1] as first_patentee,
       patentee_uscc, address, file_as_of
from (
    {{ holder_runs('patents', ['application_no'], "array_to_string(" ~ split_list('patentees') ~ ", ';')",
                   {'patentee_uscc': 'patentee_uscc', 'address': strip_postcode('address')}, prefilter=true) }}
)
