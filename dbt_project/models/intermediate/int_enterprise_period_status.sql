{{ config(tags=['period']) }}
-- For every period of this run's window, the enterprises the enterprise-level metrics look at
-- (the period's above-scale roster, its key enterprises, valid high-tech firms) with what they
-- hold at period_end: valid invention patents, valid patents of any type, valid trademarks.
with periods as (
    select period_end from {{ ref('int_periods') }} where in_window
),

roster_years as (select distinct roster_year from {{ ref('int_above_scale_roster') }}),

period_roster as (
    select p.period_end, (select max(roster_year) from roster_years where roster_year <= year(p.period_end)) as roster_year
    from periods as p
),

above_scale as (
    select pr.period_end, r.enterprise_id, r.is_key_enterprise, r.region_code, r.industry
    from period_roster as pr
    join {{ ref('int_above_scale_roster') }} as r using (roster_year)
),

hightech as (
    select distinct p.period_end, d.enterprise_id
    from periods as p
    join {{ ref('int_enterprise_designations') }} as d
      on d.kind = 'hightech' and d.valid_from <= p.period_end and (d.valid_until is null or d.valid_until > p.period_end)
),

population as (
    select
        coalesce(a.period_end, h.period_end) as period_end,
        coalesce(a.enterprise_id, h.enterprise_id) as enterprise_id,
        a.enterprise_id is not null as is_above_scale,
        coalesce(a.is_key_enterprise, false) as is_key_enterprise,
        h.enterprise_id is not null as is_hightech
    from above_scale as a
    full outer join hightech as h using (period_end, enterprise_id)
),

patents as (
    select
        s.period_end, s.enterprise_id,
        count(distinct h.application_no) filter (where h.is_invention) as valid_inventions,
        count(distinct h.application_no) as valid_patents_any_type
    from population as s
    join {{ ref('int_enterprise_patent_holdings') }} as h
      on h.enterprise_id = s.enterprise_id and h.valid_from <= s.period_end
     and (h.valid_until is null or h.valid_until > s.period_end)
    group by all
),

trademarks as (
    select s.period_end, s.enterprise_id, count(*) as valid_trademarks
    from population as s
    join {{ ref('int_enterprise_trademark_holdings') }} as t
      on t.enterprise_id = s.enterprise_id and t.valid_from <= s.period_end
     and (t.valid_until is null or t.valid_until > s.period_end)
    group by all
),

enterprise_place as (
    select enterprise_id, enterprise, uscc, region_code, industry from {{ ref('int_enterprise_master') }}
    union all
    select distinct r.enterprise_id, r.enterprise, r.uscc, r.region_code, r.industry
    from {{ ref('int_roster_enterprises') }} as r
    where r.enterprise_id not in (select enterprise_id from {{ ref('int_enterprise_master') }})
)

select
    s.period_end,
    s.enterprise_id,
    ep.uscc,
    ep.enterprise,
    coalesce(ep.region_code, 'UNATTRIBUTED') as region_code,
    ep.industry,
    s.is_above_scale,
    s.is_key_enterprise,
    s.is_hightech,
    coalesce(p.valid_inventions, 0) as valid_inventions,
    coalesce(p.valid_patents_any_type, 0) as valid_patents_any_type,
    coalesce(t.valid_trademarks, 0) as valid_trademarks
from population as s
left join patents as p using (period_end, enterprise_id)
left join trademarks as t using (period_end, enterprise_id)
left join (select * from enterprise_place qualify row_number() over (partition by enterprise_id order by region_code nulls last) = 1) as ep
  using (enterprise_id)
