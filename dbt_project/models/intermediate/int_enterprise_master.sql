-- One row per enterprise known by credit code: the enterprise roster plus the designation rosters.
-- Name, place and industry come from the row of the latest roster year (a row without a year ranks lowest).
with roster_rows as (
    select uscc, enterprise, area, industry_code, address, above_scale_year as roster_year, 1 as source_rank
    from {{ ref('stg_enterprises') }}
    union all
    select uscc, enterprise, area, null, null, year(issue_date), 2 from {{ ref('stg_hightech') }} where uscc is not null
    union all
    select uscc, enterprise, area, null, null, year, 3 from {{ ref('stg_srdi') }} where uscc is not null
    union all
    select uscc, enterprise, area, null, null, year, 4 from {{ ref('stg_ip_advantage') }} where uscc is not null
),

latest as (
    select
        uscc,
        first(enterprise order by roster_year desc nulls last, source_rank) filter (where enterprise is not null) as enterprise,
        first(area order by roster_year desc nulls last, source_rank) filter (where area is not null) as area,
        first(industry_code order by roster_year desc nulls last, source_rank) filter (where industry_code is not null) as industry_code,
        first(address order by roster_year desc nulls last, source_rank) filter (where address is not null) as address
    from roster_rows
    group by uscc
),

industry as (
    select l.uscc, m.industry_code as industry
    from latest as l
    join {{ ref('gbt4754_industry_map') }} as m on starts_with(l.industry_code, m.gb_code_prefix)
    qualify row_number() over (partition by l.uscc order by length(m.gb_code_prefix) desc) = 1
)

select
    l.uscc as enterprise_id,
    l.uscc,
    l.enterprise,
    {{ name_key('l.enterprise') }} as name_key,
    l.area,
    l.industry_code as gb_industry_code,
    i.industry,
    l.address,
    coalesce(pu.region_code, au.region_code, cu.region_code) as region_code,
    case
        when pu.region_code is not null then 'roster_area'
        when au.region_code is not null then 'address'
        when cu.region_code is not null then 'credit_code'
    end as region_method,
    coalesce(pu.region_code is not null or au.in_pack or cu.in_pack, false) as in_pack
from latest as l
left join industry as i using (uscc)
left join {{ ref('int_place_units') }} as pu on pu.place = l.area
left join {{ ref('int_address_units') }} as au on au.address = l.address
left join {{ ref('int_credit_code_units') }} as cu on cu.uscc = l.uscc
