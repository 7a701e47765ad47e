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

-- What an enterprise holds at period_end, from interval events rather than a period x holding join
-- (at nation scale that join multiplies 100 periods by 26 million holdings): +1 when a holding
-- becomes valid, -1 when it ends; the running total per enterprise at the last event on or before
-- period_end (an ASOF join) is the count of holdings with valid_from <= period_end < valid_until.
-- A holding is one (enterprise, patent) or (enterprise, registration, class) row, so counting rows
-- counts distinct patents / registrations.
patent_events as (
    select enterprise_id, valid_from as event_date, 1 as d_any, case when is_invention then 1 else 0 end as d_inventions
    from {{ ref('int_enterprise_patent_holdings') }}
    where valid_until is null or valid_until > valid_from
    union all
    select enterprise_id, valid_until, -1, case when is_invention then -1 else 0 end
    from {{ ref('int_enterprise_patent_holdings') }}
    where valid_until > valid_from
),

patent_running as (
    select
        enterprise_id, event_date,
        sum(sum(d_inventions)) over w as valid_inventions,
        sum(sum(d_any)) over w as valid_patents_any_type
    from patent_events
    group by enterprise_id, event_date
    window w as (partition by enterprise_id order by event_date rows between unbounded preceding and current row)
),

patents as (
    select s.period_end, s.enterprise_id, r.valid_inventions, r.valid_patents_any_type
    from population as s
    asof join patent_running as r
      on r.enterprise_id = s.enterprise_id and r.event_date <= s.period_end
),

trademark_events as (
    select enterprise_id, valid_from as event_date, 1 as d
    from {{ ref('int_enterprise_trademark_holdings') }}
    where valid_until is null or valid_until > valid_from
    union all
    select enterprise_id, valid_until, -1
    from {{ ref('int_enterprise_trademark_holdings') }}
    where valid_until > valid_from
),

trademark_running as (
    select
        enterprise_id, event_date,
        sum(sum(d)) over (partition by enterprise_id order by event_date rows between unbounded preceding and current row)
            as valid_trademarks
    from trademark_events
    group by enterprise_id, event_date
),

trademarks as (
    select s.period_end, s.enterprise_id, r.valid_trademarks
    from population as s
    asof join trademark_running as r
      on r.enterprise_id = s.enterprise_id and r.event_date <= s.period_end
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
