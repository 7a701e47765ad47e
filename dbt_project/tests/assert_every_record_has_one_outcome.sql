-- Every patent, trademark and overseas filing has exactly one outcome: a unit, UNATTRIBUTED, or
-- excluded (region_code null and is_excluded), always with the method recorded; every enterprise of
-- the master likewise (region_code null only with an outside_pack or no_location method).
select 'patent' as record, application_no as record_key from {{ ref('int_patent_attribution') }}
where attribution_method is null or (region_code is null) <> is_excluded
union all
select 'trademark', reg_no || '|' || nice_class from {{ ref('int_trademark_attribution') }}
where attribution_method is null or (region_code is null) <> is_excluded
union all
select 'overseas_filing', filing_no from {{ ref('int_overseas_attribution') }}
where attribution_method is null or (region_code is null) <> is_excluded
union all
select 'enterprise', enterprise_id from {{ ref('int_enterprise_master') }}
where (region_code is null) <> (region_method in ('outside_pack', 'no_location'))
union all
select 'patent_missing', application_no from {{ ref('stg_patents') }}
where application_no not in (select application_no from {{ ref('int_patent_attribution') }})
union all
select 'trademark_missing', reg_no || '|' || nice_class from {{ ref('stg_trademarks') }}
where reg_no || '|' || nice_class not in (select reg_no || '|' || nice_class from {{ ref('int_trademark_attribution') }})
