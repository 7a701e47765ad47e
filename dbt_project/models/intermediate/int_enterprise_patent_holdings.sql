-- Which enterprise holds which patent when: an enterprise holds a patent while it is valid and the
-- enterprise is any of its patentees (co-patentees each hold it). With attribution_as_of = period the
-- patentees are those of the export on or before the date (stg_patent_holder_versions: an earlier
-- export's holders from their run's start to the export that names others; the newest export's from
-- then on), so a holding is one row per (enterprise, patent, span) and the spans of one holding never
-- overlap; with newest, the newest export's patentees hold it over its whole validity.
with versions as (
    select application_no, run_no, holder_from, holder_until, is_newest
    from {{ ref('stg_patent_holder_versions') }}
    where {{ attribution_follows_period() }}
),

held as (
    select h.enterprise_id, h.application_no, n.holder_from as held_from, cast(null as date) as held_until
    from {{ ref('int_patent_holders') }} as h
    left join versions as n on n.application_no = h.application_no and n.is_newest
    union all
    select r.enterprise_id, v.application_no, v.holder_from, v.holder_until
    from versions as v
    join {{ ref('int_entity_records') }} as r
      on r.source = 'patent_versions' and r.record_key = v.application_no || '|' || cast(v.run_no as varchar)
    where not v.is_newest and r.enterprise_id is not null
)

select distinct
    h.enterprise_id,
    v.application_no,
    v.is_invention,
    greatest(v.valid_from, h.held_from) as valid_from,
    least(v.valid_until, h.held_until) as valid_until
from held as h
join {{ ref('int_patent_validity') }} as v using (application_no)
where v.valid_from is not null
  and {{ unit_span_not_empty('v.valid_from', 'v.valid_until', 'h.held_from', 'h.held_until') }}
