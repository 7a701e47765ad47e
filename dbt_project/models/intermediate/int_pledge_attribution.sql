-- The unit each pledge registration counts for: the pledgor's unit when the pledgor is in the
-- enterprise master; else the pledged patent's unit when the pledgor is one of its patentees;
-- else UNATTRIBUTED (metrics.md, counting rules: pledges).
with pledges as (
    select p.*, {{ name_key('p.pledgor') }} as pledgor_key from {{ ref('stg_pledges') }} as p
),

pledgor as (
    select p.registration_no, n.uscc
    from pledges as p
    join (select name_key, uscc from {{ ref('int_enterprise_names') }} where not is_ambiguous) as n
      on n.name_key = p.pledgor_key
),

patent_units as (
    select p.registration_no, a.region_code
    from (select registration_no, pledgor_key, unnest(application_nos) as application_no from pledges) as p
    join {{ ref('int_patent_holders') }} as h on h.application_no = p.application_no and h.name_key = p.pledgor_key
    join {{ ref('int_patent_attribution') }} as a on a.application_no = p.application_no and not a.is_excluded
    qualify row_number() over (partition by p.registration_no order by p.application_no) = 1
)

select
    p.registration_no,
    o.uscc as pledgor_uscc,
    coalesce(e.region_code, u.region_code, 'UNATTRIBUTED') as region_code,
    case when e.region_code is not null then 'enterprise_master'
         when u.region_code is not null then 'pledged_patent'
         else 'in_pack_no_unit' end as attribution_method
from pledges as p
left join pledgor as o using (registration_no)
left join {{ ref('int_enterprise_master') }} as e on e.uscc = o.uscc
left join patent_units as u using (registration_no)
