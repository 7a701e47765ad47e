-- Patents whose loaded exports name more than one first patentee: one row per run of consecutive
-- exports (by as-of date) that name the same first patentee. holder_from is the as-of date of the
-- run's first export (null for the first run: that holder is the earliest known and stands for every
-- earlier month), holder_until the next run's holder_from (null for the newest run, which is the
-- version stg_patents keeps). A later export naming another holder is a transfer: the as-of date of
-- the export that first shows the new holder is taken as the transfer date (setting
-- attribution_as_of). Address and credit code are the run's first export's.
select application_no, run_no, holder_from, holder_until, is_newest, holder as first_patentee,
       patentee_uscc, address, file_as_of
from (
    {{ holder_runs('patents', ['application_no'], split_list('patentees') ~ '[1]',
                   {'patentee_uscc': 'patentee_uscc', 'address': strip_postcode('address')}) }}
)
