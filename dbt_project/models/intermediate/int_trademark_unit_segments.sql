-- Trademark registrations whose unit changes over time, as attribution_as_of = period has it: one
-- row per span [unit_from, unit_until) in which the registration counts for region_code (null: for no
-- unit of the pack), record_key reg_no || '/' || nice_class as int_metric_records keys it. The unit
-- changes when a later export names another registrant (stg_trademark_registrant_versions, a
-- transfer from that export's as-of date) or a roster moved the registrant's enterprise
-- (int_enterprise_unit_history, from 1 January of that roster year), as int_patent_unit_segments
-- has it for patents. Empty when attribution_as_of = newest.
with earlier_holders as (
    select v.reg_no, v.nice_class, v.holder_from, v.holder_until, r.enterprise_id, r.uscc as holder_uscc,
           r.match_method, cast(null as varchar) as patentee_uscc, v.address
    from {{ ref('stg_trademark_registrant_versions') }} as v
    left join {{ ref('int_entity_records') }} as r
      on r.source = 'trademark_versions'
     and r.record_key = v.reg_no || '|' || v.nice_class || '|' || cast(v.run_no as varchar)
    where not v.is_newest
),

earlier_located as {{ locate_holders('earlier_holders', keys=['reg_no', 'nice_class'], keep=['holder_from', 'holder_until']) }},

newest_from as (
    select reg_no, nice_class, holder_from from {{ ref('stg_trademark_registrant_versions') }} where is_newest
),

holder_spans as (
    select reg_no || '/' || cast(nice_class as varchar) as record_key, holder_from as span_from,
           holder_until as span_until, {{ attribution_columns() }}, enterprise_id, master_region_method
    from earlier_located
    union all
    select a.reg_no || '/' || cast(a.nice_class as varchar), n.holder_from, cast(null as date), a.region_code,
           a.attribution_method, a.is_excluded, a.enterprise_id, a.master_region_method
    from {{ ref('int_trademark_attribution') }} as a
    left join newest_from as n on n.reg_no = a.reg_no and n.nice_class = a.nice_class
    where n.reg_no is not null
       or (a.attribution_method = 'enterprise_master' and a.master_region_method = 'roster_area'
           and a.enterprise_id in (select enterprise_id from {{ ref('int_enterprise_unit_history') }}))
)

select record_key, region_code, unit_from, unit_until, entered_by, left_by
from {{ unit_spans('holder_spans') }}
