-- The unit an address names, for every distinct address in the sources.
-- in_pack: the address names the pack's root (濮阳 / 河南), a unit or a town of it.
with ctx as (select region_pack from {{ ref('int_build_context') }}),

pack as (
    select p.* from {{ ref('region_packs') }} as p join ctx on p.pack = ctx.region_pack
),

root_names as (
    select unnest(string_split(root_aliases, ';')) as root_name from pack
),

addresses as (
    select distinct address from (
        select address from {{ ref('stg_patents') }}
        union all select address from {{ ref('stg_trademarks') }}
        union all select address from {{ ref('stg_enterprises') }}
        union all select address from {{ ref('stg_overseas_filings') }}
    ) where address is not null
),

hits as (
    select
        a.address,
        n.region_code,
        n.precedence,
        n.name_kind,
        n.name_length,
        strpos(a.address, n.place_name) as position
    from addresses as a
    join {{ ref('int_region_names') }} as n on contains(a.address, n.place_name)
),

best as (
    select *
    from hits
    qualify row_number() over (
        partition by address order by precedence, position, name_length desc, region_code
    ) = 1
),

-- Short forms (经开区, 开发区, 工业园区) place an address only when it is otherwise in the pack:
-- it names the root, a unit by its official name, or a town of the pack.
pack_names as (
    select root_name as place_name from root_names
    union select region_name from {{ ref('int_regions') }} where is_assessment_unit
    union select place_name from {{ ref('int_region_names') }} where name_kind = 'town'
),

in_pack as (
    select distinct a.address
    from addresses as a join pack_names as p on contains(a.address, p.place_name)
)

select
    a.address,
    p.address is not null as in_pack,
    case when p.address is not null then b.region_code end as region_code,
    case when p.address is not null then b.name_kind end as matched_by
from addresses as a
left join in_pack as p on p.address = a.address
left join best as b on b.address = a.address
