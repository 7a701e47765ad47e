-- One row per real enterprise (organisations; individuals are not enterprises): every entity any
-- source names (enterprise roster, designation rosters, patentees, trademark registrants, overseas
-- applicants, pledgors), keyed by its credit code where any source gives one, else 'N:' || name key.
-- Name, unit and industry: the row of the latest roster year wins (a row without a year ranks lowest).
-- The unit, first found of:
--   roster_area     the 所属县区 of the latest roster row that names a unit (functional zones too)
--   address         the enterprise roster's own address (注册地址)
--   record_address  the address on the entity's latest patent (as first patentee), trademark or
--                   overseas filing that names a unit
--   credit_code     positions 3-8 of the credit code (4109xx; 410900 and 410901 name no unit)
-- else UNATTRIBUTED when anything puts it in the pack (a roster, an address, the credit code),
-- else NULL: outside the pack (outside_pack), or nothing says where it is (no_location).
with records as (
    select r.*, pu.region_code as area_region, au.region_code as address_region,
           coalesce(au.in_pack, false) as address_in_pack, coalesce(au.is_informative, false) as address_informative
    from {{ ref('int_entity_records') }} as r
    left join {{ ref('int_place_units') }} as pu on pu.place = r.area
    left join {{ ref('int_address_units') }} as au on au.address = r.address
    where r.enterprise_id is not null and not r.is_person
),

evidence as (
    select
        enterprise_id,
        max(uscc) as uscc,
        first(name order by source_rank, roster_year desc nulls last, file_as_of desc nulls last,
                            record_date desc nulls last, name) filter (where name is not null) as enterprise,
        first(area_region order by roster_year desc nulls last, source_rank, file_as_of desc nulls last)
            filter (where is_roster and area_region is not null) as roster_area_region,
        first(address_region order by roster_year desc nulls last, file_as_of desc nulls last)
            filter (where source = 'enterprises' and address_region is not null) as roster_address_region,
        first(address_region order by file_as_of desc nulls last, record_date desc nulls last, record_key)
            filter (where not is_roster and address_region is not null) as record_address_region,
        first(gb_industry_code order by roster_year desc nulls last, file_as_of desc nulls last)
            filter (where gb_industry_code is not null) as gb_industry_code,
        bool_or(is_roster) as on_roster,
        bool_or(address_in_pack) as address_in_pack,
        bool_or(address_informative) as address_informative,
        list(distinct source order by source) as sources,
        list(distinct match_method order by match_method) as match_methods
    from records
    group by enterprise_id
),

industry as (
    select e.enterprise_id, m.industry_code as industry
    from evidence as e
    join {{ ref('gbt4754_industry_map') }} as m on starts_with(e.gb_industry_code, m.gb_code_prefix)
    qualify row_number() over (partition by e.enterprise_id order by length(m.gb_code_prefix) desc) = 1
),

located as (
    select
        e.*,
        coalesce(e.roster_area_region, e.roster_address_region, e.record_address_region, c.region_code) as unit_code,
        case
            when e.roster_area_region is not null then 'roster_area'
            when e.roster_address_region is not null then 'address'
            when e.record_address_region is not null then 'record_address'
            when c.region_code is not null then 'credit_code'
        end as unit_method,
        e.on_roster or e.address_in_pack or coalesce(c.in_pack, false) as in_pack,
        e.on_roster or e.address_informative or c.uscc is not null as has_location
    from evidence as e
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = e.uscc
)

select
    l.enterprise_id,
    l.uscc,
    l.enterprise,
    coalesce(k.norm, {{ name_key('l.enterprise') }}) as name_key,
    case
        when substr(l.uscc, 1, 2) in ('91', '92', '93') then 'enterprise'
        when l.uscc is not null then 'institution'
        when regexp_matches(substr(l.enterprise_id, 3), '(大学|学院|学校|研究院|研究所|医院|协会|学会|委员会|政府|局|中心)$')
            then 'institution'
        else 'enterprise'
    end as entity_kind,
    coalesce(l.unit_code, case when l.in_pack then 'UNATTRIBUTED' end) as region_code,
    coalesce(l.unit_method, case when l.in_pack then 'in_pack_no_unit' when l.has_location then 'outside_pack'
                                 else 'no_location' end) as region_method,
    l.in_pack,
    l.has_location,
    i.industry,
    l.gb_industry_code,
    l.on_roster,
    l.sources,
    l.match_methods
from located as l
left join industry as i using (enterprise_id)
left join {{ ref('int_text_keys') }} as k on k.text_kind = 'name' and k.text = l.enterprise
