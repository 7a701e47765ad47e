-- The unit named by a short place text such as a roster's 所属县区 ('华龙区', '清丰', '经开区').
with places as (
    select distinct area as place from {{ ref('stg_enterprises') }} where area is not null
    union select area from {{ ref('stg_hightech') }} where area is not null
    union select area from {{ ref('stg_srdi') }} where area is not null
    union select area from {{ ref('stg_ip_advantage') }} where area is not null
),

hits as (
    select p.place, n.region_code, n.precedence, n.name_length
    from places as p
    join {{ ref('int_region_names') }} as n
      on contains(p.place, n.place_name) or (length(p.place) >= 2 and starts_with(n.place_name, p.place))
)

select place, region_code
from hits
qualify row_number() over (partition by place order by precedence, name_length desc, region_code) = 1
