-- The unit an address names, for every distinct address in the sources (postcode already stripped,
-- normalised by int_text_keys: NFKC, traditional to simplified, no whitespace).
--   region_code  the unit: the best name found, after dropping names that lie inside a longer
--                name found in the same address (开发区 inside 清丰县经济开发区); a functional zone
--                wins over a county, then the earliest name in the address
--   in_pack      the address is in the pack: it names the root (濮阳市, 濮阳), a unit by a name
--                that identifies the pack, or a town of the pack with no place elsewhere named
--                before it (山东省…王楼镇 is not Puyang's 王楼镇)
--   is_informative  the address says where it is: in the pack, or it names a place elsewhere (a
--                province, a region of another pack's seeds) or is written in Latin letters
--                (abroad). An address that says neither ('中原路277号') counts as no address.
with ctx as (select region_pack from {{ ref('int_build_context') }}),

pack as (select p.* from {{ ref('region_packs') }} as p join ctx on p.pack = ctx.region_pack),

root_names as (select unnest(string_split(root_aliases, ';')) as root_name from pack),

-- Places elsewhere: the region names of the other packs' seeds that lie outside the active pack
-- (their code does not start with its admin prefix: Puyang's towns are inside the henan pack) and
-- the provinces, less any name of the active pack itself (its root, province, units and towns).
own_names as (
    select root_name as name from root_names
    union select province_name from pack where coalesce(province_name, '') <> ''
    union select place_name from {{ ref('int_region_names') }}
),

other_names as (
    select distinct a.alias as place_name
    from {{ ref('region_aliases') }} as a, ctx, pack
    where a.pack <> ctx.region_pack and not starts_with(a.region_code, pack.admin_prefix)
    union
    select distinct t.town_name
    from {{ ref('region_towns') }} as t, ctx, pack
    where t.pack <> ctx.region_pack and not starts_with(t.region_code, pack.admin_prefix)
    union
    select unnest([
        '北京', '天津', '上海', '重庆', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '江苏', '浙江',
        '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南', '广东', '广西', '海南', '四川', '贵州',
        '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆', '台湾', '香港', '澳门'])
),

elsewhere_names as (
    select o.place_name
    from other_names as o
    where not exists (
        select 1 from own_names as n
        where contains(n.name, o.place_name) or contains(o.place_name, n.name)
    )
),

addresses as (
    select text as address, norm
    from {{ ref('int_text_keys') }}
    where text_kind = 'address' and norm is not null
),

-- materialized: named, kept and town_only all read it, and DuckDB would otherwise run this
-- every-address-by-every-name join once for each (province sample: 11.3 s -> 9.5 s)
hits as materialized (
    select
        a.address,
        a.norm,
        n.region_code,
        n.precedence,
        n.name_kind,
        n.name_length,
        n.identifies_pack,
        strpos(a.norm, n.place_name) as position
    from addresses as a
    join {{ ref('int_region_names') }} as n on contains(a.norm, n.place_name)
),

kept as (
    select h.*
    from hits as h
    where not exists (
        select 1 from hits as o
        where o.address = h.address
          and o.name_length > h.name_length
          and o.position <= h.position
          and o.position + o.name_length >= h.position + h.name_length
    )
),

best as (
    select *
    from kept
    qualify row_number() over (
        partition by address order by precedence, position, name_length desc, region_code
    ) = 1
),

named as (
    -- in the pack by its root's name or a unit's identifying name
    select address from hits where identifies_pack and name_kind <> 'town'
    union
    select a.address from addresses as a join root_names as r on contains(a.norm, r.root_name)
),

town_only as (
    select h.* from hits as h
    where h.name_kind = 'town' and h.address not in (select address from named)
),

town_elsewhere as (
    -- a town found after the name of a place elsewhere (山东省…王楼镇) is not the pack's town
    select distinct h.address, h.position
    from town_only as h
    join elsewhere_names as e on contains(left(h.norm, h.position - 1), e.place_name)
),

identified as (
    select address from named
    union
    select h.address
    from town_only as h
    left join town_elsewhere as x on x.address = h.address and x.position = h.position
    where x.address is null
),

informative as (
    select distinct a.address
    from addresses as a
    join elsewhere_names as e on contains(a.norm, e.place_name)
    where a.address not in (select address from identified)
    union
    select address from addresses where regexp_matches(norm, '[A-Za-z]{3,}')
)

select
    a.address,
    a.norm as address_norm,
    i.address is not null as in_pack,
    case when i.address is not null then b.region_code end as region_code,
    case when i.address is not null then b.name_kind end as matched_by,
    i.address is not null or f.address is not null as is_informative
from addresses as a
left join identified as i on i.address = a.address
left join best as b on b.address = a.address
left join informative as f on f.address = a.address
