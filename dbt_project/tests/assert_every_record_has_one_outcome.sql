-- Every patent, trademark and overseas filing has exactly one outcome: a unit of the pack,
-- UNATTRIBUTED, or excluded (region_code null and is_excluded), always with the method recorded;
-- roster rows and pledges always have a unit or UNATTRIBUTED; every enterprise of the master
-- likewise, region_code null only with an outside_pack or no_location method.
with regions as (select region_code from {{ ref('int_regions') }} where not is_root),

outcomes as (
    select 'patent' as record, application_no as record_key, region_code, attribution_method as method, is_excluded
    from {{ ref('int_patent_attribution') }}
    union all
    select 'trademark', reg_no || '|' || nice_class, region_code, attribution_method, is_excluded
    from {{ ref('int_trademark_attribution') }}
    union all
    select 'overseas_filing', filing_no, region_code, attribution_method, is_excluded
    from {{ ref('int_overseas_attribution') }}
    union all
    select 'roster_row', roster || '|' || roster_key, region_code, attribution_method, false
    from {{ ref('int_roster_enterprises') }}
    union all
    select 'pledge', registration_no, region_code, attribution_method, false
    from {{ ref('int_pledge_attribution') }}
    union all
    select 'enterprise', enterprise_id, region_code, region_method, region_method in ('outside_pack', 'no_location')
    from {{ ref('int_enterprise_master') }}
)

select record, record_key, region_code, method
from outcomes
where method is null
   or (region_code is null) <> is_excluded
   or (region_code is not null and region_code not in (select region_code from regions))
union all
select 'patent_missing', application_no, null, null from {{ ref('stg_patents') }}
where application_no not in (select application_no from {{ ref('int_patent_attribution') }})
union all
select 'trademark_missing', reg_no || '|' || nice_class, null, null from {{ ref('stg_trademarks') }}
where reg_no || '|' || nice_class not in (select reg_no || '|' || nice_class from {{ ref('int_trademark_attribution') }})
