{{ config(tags=['period']) }}
-- For every period of this run's window, the enterprises the enterprise-level metrics look at
-- (the period's above-scale roster, its key enterprises, valid high-tech firms) with what they
-- hold at period_end: valid invention patents, valid patents of any type, valid trademarks.
with periods as (
    select period_end from {{ ref('int_periods') }} where in_window
),

-- who is in the population at each period: the members of above_scale_enterprises and
-- hightech_enterprises (int_metric_enterprise_records, where those rules are written), joined to the
-- periods their windows cover
above_scale as (
    select p.period_end, m.record_key as enterprise_id, m.region_code, coalesce(r.is_key_enterprise, false) as is_key_enterprise
    from periods as p
    join {{ ref('int_metric_enterprise_records') }} as m
      on m.metric_code = 'above_scale_enterprises'
     and m.counted_from <= p.period_end and (m.counted_until is null or m.counted_until > p.period_end)
    -- the key-enterprise flag of the roster the window comes from
    left join {{ ref('int_above_scale_roster') }} as r
      on r.enterprise_id = m.record_key and r.roster_year = year(m.counted_from)
),

hightech as (
    select p.period_end, m.record_key as enterprise_id, m.region_code
    from periods as p
    join {{ ref('int_metric_enterprise_records') }} as m
      on m.metric_code = 'hightech_enterprises'
     and m.counted_from <= p.period_end and (m.counted_until is null or m.counted_until > p.period_end)
),

population as (
    select
        coalesce(a.period_end, h.period_end) as period_end,
        coalesce(a.enterprise_id, h.enterprise_id) as enterprise_id,
        coalesce(a.region_code, h.region_code) as region_code,
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
                                        {'valid_trademarks': '1'}) }}

select
    s.period_end,
    s.enterprise_id,
    ep.uscc,
    ep.enterprise,
    -- the unit of the window that puts the firm in the population (a roster move splits it)
    coalesce(s.region_code, ep.region_code, 'UNATTRIBUTED') as region_code,
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
left join {{ ref('int_enterprise_places') }} as ep using (enterprise_id)
