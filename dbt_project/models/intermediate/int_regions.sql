-- The active region pack's root (city or province), its assessment units, and UNATTRIBUTED.
with ctx as (select region_pack from {{ ref('int_build_context') }}),

pack_units as (
    select u.*
    from {{ ref('region_units') }} as u
    join ctx on u.pack = ctx.region_pack
),

root as (select region_code as root_code from pack_units where parent_code is null or parent_code = '')

select
    region_code,
    region_name,
    short_name,
    level,
    nullif(parent_code, '') as parent_code,
    is_assessment_unit,
    sort_order,
    region_code = (select root_code from root) as is_root
from pack_units
union all
select 'UNATTRIBUTED', '未归属', '未归属', 'pseudo', (select root_code from root), false, 999, false
