-- Patents whose unit changes over time, as attribution_as_of = period has it: one row per span
-- [unit_from, unit_until) (null: open) in which the patent counts for region_code (null: for no unit of
-- the pack, its holder then being outside it). The unit changes when
--   transfer       a later export names another first patentee (stg_patent_holder_versions): from
--                  the as-of date of the export that first shows the new holder;
--   reattribution  the roster moved the holder's enterprise (int_enterprise_unit_history): from
--                  1 January of the roster year that names the new unit; only where the holder's
--                  unit is its roster's (enterprise_master by roster_area).
-- Each holder is located as int_patent_attribution locates the newest one (locate_holders); the
-- spans are cut and merged by unit_spans. Patents not here keep int_patent_attribution's unit for
-- every period, and so does every patent when attribution_as_of = newest (the model is then empty).
with earlier_holders as (
    select v.application_no, v.holder_from, v.holder_until, r.enterprise_id, r.uscc as holder_uscc,
           r.match_method, v.patentee_uscc, v.address
    from {{ ref('stg_patent_holder_versions') }} as v
    left join {{ ref('int_entity_records') }} as r
      on r.source = 'patent_versions' and r.record_key = v.application_no || '|' || cast(v.run_no as varchar)
     and r.position = 1
    where not v.is_newest
),

earlier_located as {{ locate_holders('earlier_holders', keep=['holder_from', 'holder_until']) }},

newest_from as (
    select application_no, holder_from from {{ ref('stg_patent_holder_versions') }} where is_newest
),

holder_spans as (
    select application_no as record_key, holder_from as span_from, holder_until as span_until,
           {{ attribution_columns() }}, enterprise_id, master_region_method
    from earlier_located
    union all
    -- the newest holder, from the export that first shows it; a patent with one holder whose
    -- enterprise a roster moved has one span
    select a.application_no, n.holder_from, cast(null as date), a.region_code, a.attribution_method, a.is_excluded,
           a.enterprise_id, a.master_region_method
    from {{ ref('int_patent_attribution') }} as a
    left join newest_from as n using (application_no)
    where n.application_no is not null
       or (a.attribution_method = 'enterprise_master' and a.master_region_method = 'roster_area'
           and a.enterprise_id in (select enterprise_id from {{ ref('int_enterprise_unit_history') }}))
)

select record_key as application_no, region_code, unit_from, unit_until, entered_by, left_by
from {{ unit_spans('holder_spans') }}
