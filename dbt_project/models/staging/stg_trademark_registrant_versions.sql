-- Trademark registrations (reg_no x class) whose loaded exports name more than one registrant: one
-- row per run of consecutive exports naming the same registrant, as stg_patent_holder_versions has
-- it for patents (holder_from null for the earliest; holder_until null for the newest run, the version
-- stg_trademarks keeps). A later export naming another registrant is a transfer (转让) from its as-of
-- date (setting attribution_as_of).
select reg_no, nice_class, run_no, holder_from, holder_until, is_newest, holder as registrant,
       registrant_uscc, address, file_as_of
from (
    {{ holder_runs('trademarks', ['reg_no', 'nice_class'], 'registrant',
                   {'registrant_uscc': 'registrant_uscc', 'address': strip_postcode('address')}) }}
)
