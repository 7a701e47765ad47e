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

-- What an enterprise holds at period_end, from validity events (holdings_at_period_end) rather
-- than a period x holding join (at nation scale 100 periods x 26 million holdings). A holding is
-- one (enterprise, patent) or (enterprise, registration, class) row, so counting rows counts
-- distinct patents / registrations.
patents as {{ holdings_at_period_end('population', ref('int_enterprise_patent_holdings'),
                                      {'valid_inventions': 'case when is_invention then 1 else 0 end',
                                       'valid_patents_any_type': '1'}) }},

trademarks as {{ holdings_at_period_end('population', ref('int_enterprise_trademark_holdings'),
                                        {'valid_trademarks': '1'}) }},

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
