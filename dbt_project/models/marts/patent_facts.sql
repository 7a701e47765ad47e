-- Every patent with what the metrics count it as, for drill-down from any number to its records:
-- valid at period p when valid_from <= p < valid_until (valid_until null = open); high-value at p
-- when additionally hv_from <= p; counted for region_code (NULL = outside the pack, excluded).
with industries as {{ patent_industry_lists() }}

select
    p.application_no,
    p.title,
    p.patent_type,
    p.application_date,
    p.grant_date,
    p.first_patentee,
    array_to_string(p.patentee_list, ';') as patentees,
    a.region_code,
    a.attribution_method,
    coalesce(i.industries, []) as industries,
    v.valid_from,
    v.valid_until,
    v.is_invention,
    hv.high_value_from as hv_from,
    hv.hv_strategic_emerging_from is not null as hv_strategic_emerging,
    coalesce(se.rule_ids, []) as strategic_rules,
    coalesce(se.branch_codes, []) as strategic_branches,
    coalesce(se.sector_codes, []) as strategic_sectors,
    coalesce(se.later_edition_readings, []) as strategic_later_edition_readings,
    hv.hv_overseas_family_from is not null as hv_overseas_family,
    hv.hv_maintained_from,
    hv.hv_pledge_from,
    hv.hv_award_from,
    p.legal_status,
    v.effective_lapse_date as lapse_date,
    v.lapse_reason,
    p.fee_paid_through_year,
    p.ipc_main,
    p.source_file
from {{ ref('stg_patents') }} as p
join {{ ref('int_patent_validity') }} as v using (application_no)
join {{ ref('int_patent_attribution') }} as a using (application_no)
left join {{ ref('int_patent_high_value') }} as hv using (application_no)
left join industries as i using (application_no)
left join {{ ref('int_patent_strategic_emerging') }} as se using (application_no)
