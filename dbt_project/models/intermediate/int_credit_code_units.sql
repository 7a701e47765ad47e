-- The unit named by a credit code's registration-authority digits (positions 3-8): longest prefix
-- in region_admin_codes. Codes of the root (410900) or 410901 name no unit but are in the pack.
with ctx as (select region_pack from {{ ref('int_build_context') }}),

codes as (
    select distinct uscc from (
        select patentee_uscc as uscc from {{ ref('stg_patents') }}
        union all select registrant_uscc from {{ ref('stg_trademarks') }}
        union all select uscc from {{ ref('stg_enterprises') }}
        union all select uscc from {{ ref('stg_hightech') }}
        union all select uscc from {{ ref('stg_srdi') }}
        union all select uscc from {{ ref('stg_ip_advantage') }}
        union all select applicant_uscc from {{ ref('stg_overseas_filings') }}
    ) where uscc is not null and length(uscc) = 18
),

admin as (
    select a.* from {{ ref('region_admin_codes') }} as a join ctx on a.pack = ctx.region_pack
),

pack as (select p.admin_prefix from {{ ref('region_packs') }} as p join ctx on p.pack = ctx.region_pack),

matches as (
    select c.uscc, a.region_code
    from codes as c
    join admin as a on starts_with(substr(c.uscc, 3, 6), a.admin_code_prefix)
    qualify row_number() over (partition by c.uscc order by length(a.admin_code_prefix) desc) = 1
)

select
    c.uscc,
    substr(c.uscc, 3, 6) as admin_code,
    starts_with(substr(c.uscc, 3, 6), (select admin_prefix from pack)) as in_pack,
    m.region_code
from codes as c
left join matches as m using (uscc)
