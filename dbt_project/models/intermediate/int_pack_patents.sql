-- The patents the pack's metrics count: every patent whose first patentee's unit is in the pack
-- (int_patent_attribution, not excluded), with its unit, its validity interval and its industries.
-- The period models read this instead of joining every patent of the export to its attribution:
-- an export may hold far more than the pack (a national one is ~20 times Henan's share).
with industries as {{ patent_industry_lists() }}

select
    v.application_no,
    a.region_code,
    v.patent_type,
    v.is_invention,
    v.application_date,
    v.grant_date,
    v.valid_from,
    v.valid_until,
    v.effective_lapse_date,
    v.lapse_reason,
    coalesce(i.industries, []) as industries
from {{ ref('int_patent_validity') }} as v
join {{ ref('int_patent_attribution') }} as a on a.application_no = v.application_no and not a.is_excluded
left join industries as i on i.application_no = v.application_no
