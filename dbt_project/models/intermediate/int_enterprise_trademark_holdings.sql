-- Which enterprise holds which valid trademark registration when (the registrant). With
-- attribution_as_of = period the registrant is the one of the export on or before the date
-- (stg_trademark_registrant_versions), as int_enterprise_patent_holdings has it for patents; with
-- newest, the newest export's registrant over the whole validity.
with versions as (
    select reg_no, nice_class, run_no, holder_from, holder_until, is_newest
    from {{ ref('stg_trademark_registrant_versions') }}
    where {{ attribution_follows_period() }}
),

held as (
    select a.enterprise_id, a.reg_no, a.nice_class, n.holder_from as held_from, cast(null as date) as held_until
    from {{ ref('int_trademark_attribution') }} as a
    join {{ ref('stg_trademarks') }} as t on t.reg_no = a.reg_no and t.nice_class = a.nice_class
    left join versions as n on n.reg_no = a.reg_no and n.nice_class = a.nice_class and n.is_newest
    where t.registrant is not null
    union all
    select r.enterprise_id, v.reg_no, v.nice_class, v.holder_from, v.holder_until
    from versions as v
    join {{ ref('int_entity_records') }} as r
      on r.source = 'trademark_versions'
     and r.record_key = v.reg_no || '|' || v.nice_class || '|' || cast(v.run_no as varchar)
    where not v.is_newest and r.enterprise_id is not null
)

select distinct
    h.enterprise_id,
    v.reg_no,
    v.nice_class,
    greatest(v.valid_from, h.held_from) as valid_from,
    least(v.valid_until, h.held_until) as valid_until
from held as h
join {{ ref('int_trademark_validity') }} as v on v.reg_no = h.reg_no and v.nice_class = h.nice_class
where v.valid_from is not null
  and {{ unit_span_not_empty('v.valid_from', 'v.valid_until', 'h.held_from', 'h.held_until') }}
