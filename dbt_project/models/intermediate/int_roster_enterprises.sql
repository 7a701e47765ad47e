-- Every row of the designation rosters (high-tech, SRDI, IP advantage) with the enterprise it
-- names (its credit code, else the name's resolution: override, exact, fuzzy; an ambiguous or
-- unknown name stays 'N:' || name_key) and that enterprise's unit and industry from the master.
-- The rosters are the pack's own, so a row without a unit is UNATTRIBUTED, never excluded.
select
    r.source as roster,
    r.record_key as roster_key,
    r.name as enterprise,
    r.uscc,
    r.enterprise_id,
    r.match_method,
    r.match_score,
    r.name_key,
    coalesce(e.region_code, 'UNATTRIBUTED') as region_code,
    case when e.region_code is not null and e.region_code <> 'UNATTRIBUTED' then 'enterprise_master'
         else 'in_pack_no_unit' end as attribution_method,
    e.region_method as master_region_method,
    e.industry
from {{ ref('int_entity_records') }} as r
left join {{ ref('int_enterprise_master') }} as e on e.enterprise_id = r.enterprise_id
where r.source in ('hightech', 'srdi', 'ip_advantage')
