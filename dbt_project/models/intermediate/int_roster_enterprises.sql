-- Every row of the designation rosters (high-tech, SRDI, IP advantage) with the enterprise it
-- names: its credit code, else an exact match of its name in the master; the enterprise's unit
-- from the master, else the roster's own area, else UNATTRIBUTED (the rosters are the city's).
with rows as (
    select 'hightech' as roster, certificate_no as roster_key, enterprise, uscc, area from {{ ref('stg_hightech') }}
    union all
    select 'srdi', enterprise_key || '|' || level || '|' || year || '|' || stage, enterprise, uscc, area from {{ ref('stg_srdi') }}
    union all
    select 'ip_advantage', enterprise_key || '|' || level || '|' || year, enterprise, uscc, area from {{ ref('stg_ip_advantage') }}
),

keyed as (select rows.*, {{ name_key('enterprise') }} as name_key from rows),

matched as (
    select
        k.*,
        coalesce(k.uscc, n.uscc) as matched_uscc,
        case when k.uscc is not null then 'credit_code' when n.uscc is not null then 'exact_name' end as match_method
    from keyed as k
    left join (select name_key, uscc from {{ ref('int_enterprise_names') }} where not is_ambiguous) as n
      on n.name_key = k.name_key
)

select
    m.roster,
    m.roster_key,
    m.enterprise,
    m.matched_uscc as uscc,
    coalesce(m.matched_uscc, 'N:' || m.name_key) as enterprise_id,
    m.match_method,
    coalesce(e.region_code, p.region_code, 'UNATTRIBUTED') as region_code,
    case when e.region_code is not null then 'enterprise_master' when p.region_code is not null then 'roster_area'
         else 'in_pack_no_unit' end as attribution_method,
    e.industry
from matched as m
left join {{ ref('int_enterprise_master') }} as e on e.uscc = m.matched_uscc
left join {{ ref('int_place_units') }} as p on p.place = m.area
