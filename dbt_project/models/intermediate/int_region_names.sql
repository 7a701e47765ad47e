-- Every name that places an address in a unit of the active pack, with its precedence:
-- a functional zone (or a town of one) named in an address wins over the county it lies in;
-- a town name shared by several units (城关镇) places nothing on its own.
-- identifies_pack: finding the name says the address is in the pack. Official names, names that
-- carry the root's name (濮阳工业园区, 濮阳市区) and a unit's name without its suffix (郑州 for 郑州市)
-- do; generic short forms (开发区, 经开区, 工业园区), which exist in every city, do not.
with ctx as (select region_pack from {{ ref('int_build_context') }}),

pack as (select p.* from {{ ref('region_packs') }} as p join ctx on p.pack = ctx.region_pack),

root_names as (select unnest(string_split(root_aliases, ';')) as root_name from pack),

units as (select region_code, region_name, level from {{ ref('int_regions') }} where is_assessment_unit),

aliases as (
    select a.alias as place_name, a.region_code, 'alias' as name_kind
    from {{ ref('region_aliases') }} as a join ctx on a.pack = ctx.region_pack
),

towns as (
    select t.town_name as place_name, t.region_code, 'town' as name_kind
    from {{ ref('region_towns') }} as t join ctx on t.pack = ctx.region_pack
    qualify count(distinct t.region_code) over (partition by t.town_name) = 1
),

names as (
    select * from aliases
    union all
    select * from towns where place_name not in (select place_name from aliases)
)

select
    names.place_name,
    names.region_code,
    names.name_kind,
    units.level = 'zone' as is_zone,
    -- lower ranks first: zone alias, zone town, other alias, other town
    case
        when units.level = 'zone' and names.name_kind = 'alias' then 1
        when units.level = 'zone' then 2
        when names.name_kind = 'alias' then 3
        else 4
    end as precedence,
    length(names.place_name) as name_length,
    names.name_kind = 'town'
        or starts_with(units.region_name, names.place_name)
        or exists (select 1 from root_names as r where contains(names.place_name, r.root_name)) as identifies_pack
from names
join units using (region_code)
