-- Patents whose unit changes over time, as attribution_as_of = period has it: one row per span
-- [unit_from, unit_until) (null: open) in which the patent counts for region_code (null: for no unit of
-- the pack, its holder then being outside it). The unit changes when
--   transfer       a later export names another first patentee (stg_patent_holder_versions): from
--                  the as-of date of the export that first shows the new holder;
--   reattribution  the roster moved the holder's enterprise (int_enterprise_unit_history): from
--                  1 January of the roster year that names the new unit; only where the holder's
--                  unit is its roster's (enterprise_master by roster_area).
-- Each holder is located as int_patent_attribution locates the newest one (locate_patent_holders).
-- Spans of the same unit are merged, so a transfer between two firms of one unit is no change.
-- entered_by / left_by say what began or ended the span. Patents not here keep
-- int_patent_attribution's unit for every period, and so does every patent when
-- attribution_as_of = newest (the model is then empty).
with history as (
    select * from {{ ref('int_enterprise_unit_history') }}
),

earlier_holders as (
    select v.application_no, v.holder_from, v.holder_until, r.enterprise_id, r.uscc as holder_uscc,
           r.match_method, v.patentee_uscc, v.address
    from {{ ref('stg_patent_holder_versions') }} as v
    left join {{ ref('int_entity_records') }} as r
      on r.source = 'patent_versions' and r.record_key = v.application_no || '|' || cast(v.run_no as varchar)
    where not v.is_newest
),

earlier_located as {{ locate_patent_holders('earlier_holders', keep=['holder_from', 'holder_until']) }},

newest_from as (
    select application_no, holder_from from {{ ref('stg_patent_holder_versions') }} where is_newest
),

holder_spans as (
    select application_no, holder_from as span_from, holder_until as span_until,
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
           and a.enterprise_id in (select enterprise_id from history))
),

pieces as (
    select
        s.application_no,
        case when s.is_excluded then null else coalesce(h.region_code, s.region_code) end as region_code,
        greatest(s.span_from, h.unit_from) as piece_from,
        least(s.span_until, h.unit_until) as piece_until,
        case when h.unit_from is not null and (s.span_from is null or h.unit_from > s.span_from)
             then 'reattribution' else 'transfer' end as start_cause
    from holder_spans as s
    left join history as h
      on s.attribution_method = 'enterprise_master' and s.master_region_method = 'roster_area'
     and h.enterprise_id = s.enterprise_id
     and (h.unit_from is null or s.span_until is null or h.unit_from < s.span_until)
     and (h.unit_until is null or s.span_from is null or h.unit_until > s.span_from)
),

ordered as (
    select *,
        case when region_code is not distinct from lag(region_code) over w then 0 else 1 end as starts_island
    from pieces
    window w as (partition by application_no order by piece_from nulls first)
),

islands as (
    select *, sum(starts_island) over (partition by application_no order by piece_from nulls first
                                      rows unbounded preceding) as island
    from ordered
),

spans as (
    select application_no, island, any_value(region_code) as region_code,
           case when bool_or(piece_from is null) then null else min(piece_from) end as unit_from,
           case when bool_or(piece_until is null) then null else max(piece_until) end as unit_until,
           first(start_cause order by piece_from nulls first) as start_cause
    from islands
    group by application_no, island
),

changing as (
    select application_no from spans group by application_no having count(*) > 1
)

select
    s.application_no,
    s.region_code,
    s.unit_from,
    s.unit_until,
    case when s.unit_from is not null then s.start_cause end as entered_by,
    lead(s.start_cause) over (partition by s.application_no order by s.unit_from nulls first) as left_by
from spans as s
semi join changing as c on c.application_no = s.application_no
where {{ attribution_follows_period() }}
