-- The unit each pledge registration counts for (metrics.md, counting rules: pledges): the pledgor's
-- unit in the enterprise master; else, when the pledgor is one of the pledged patent's patentees,
-- that patent's unit; else UNATTRIBUTED (the pledge list is the pack's own).
with pledgors as (
    select record_key as registration_no, enterprise_id, uscc, match_method
    from {{ ref('int_entity_records') }}
    where source = 'pledges'
),

patent_units as (
    select p.registration_no, a.region_code
    from (select registration_no, unnest(application_nos) as application_no from {{ ref('stg_pledges') }}) as p
    join pledgors as o using (registration_no)
    join {{ ref('int_patent_holders') }} as h on h.application_no = p.application_no and h.enterprise_id = o.enterprise_id
    join {{ ref('int_patent_attribution') }} as a
      on a.application_no = p.application_no and not a.is_excluded and a.region_code <> 'UNATTRIBUTED'
    qualify row_number() over (partition by p.registration_no order by p.application_no) = 1
)

select
    p.registration_no,
    o.uscc as pledgor_uscc,
    coalesce(case when e.region_code <> 'UNATTRIBUTED' then e.region_code end, u.region_code, 'UNATTRIBUTED') as region_code,
    case when e.region_code is not null and e.region_code <> 'UNATTRIBUTED' then 'enterprise_master'
         when u.region_code is not null then 'pledged_patent'
         else 'in_pack_no_unit' end as attribution_method,
    o.enterprise_id,
    o.match_method
from {{ ref('stg_pledges') }} as p
left join pledgors as o using (registration_no)
left join {{ ref('int_enterprise_master') }} as e on e.enterprise_id = o.enterprise_id and o.match_method <> 'ambiguous'
left join patent_units as u using (registration_no)
