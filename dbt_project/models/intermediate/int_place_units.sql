-- The unit named by a short place text such as a roster's 所属县区 ('华龙区', '清丰', '经开区').
-- A region name found in the text gives its unit (same precedence as addresses); otherwise a text
-- of two or more characters that begins exactly one unit's names ('清丰' → 清丰县) gives that unit.
-- The root's own names (濮阳, 濮阳市) name no unit, whatever they begin (濮阳县, 濮阳市区).
with ctx as (select region_pack from {{ ref('int_build_context') }}),

pack as (select p.* from {{ ref('region_packs') }} as p join ctx on p.pack = ctx.region_pack),

root_names as (select unnest(string_split(root_aliases, ';')) as root_name from pack),

places as (
    select text as place, norm
    from {{ ref('int_text_keys') }}
    where text_kind = 'place' and norm is not null
),

contained as (
    select p.place, n.region_code, n.precedence, n.name_length, strpos(p.norm, n.place_name) as position
    from places as p
    join {{ ref('int_region_names') }} as n on contains(p.norm, n.place_name)
),

kept as (
    select c.*
    from contained as c
    where not exists (
        select 1 from contained as o
        where o.place = c.place and o.name_length > c.name_length and o.position <= c.position
          and o.position + o.name_length >= c.position + c.name_length
    )
    qualify row_number() over (partition by c.place order by c.precedence, c.position, c.name_length desc, c.region_code) = 1
),

prefixed as (
    select p.place, min(n.region_code) as region_code
    from places as p
    join {{ ref('int_region_names') }} as n
      on length(p.norm) >= 2 and starts_with(n.place_name, p.norm) and n.name_kind = 'alias'
    where p.norm not in (select root_name from root_names)
    group by p.place
    having count(distinct n.region_code) = 1
)

select
    p.place,
    p.norm as place_norm,
    coalesce(k.region_code, x.region_code) as region_code,
    case when k.region_code is not null then 'name' when x.region_code is not null then 'name_prefix' end as matched_by
from places as p
left join kept as k using (place)
left join prefixed as x using (place)
