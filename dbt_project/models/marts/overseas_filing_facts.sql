-- Every overseas filing (PCT, Madrid, direct foreign) with its unit, for drill-down.
select f.filing_no, f.kind, f.filing_date, f.applicant, f.countries, a.region_code, a.attribution_method, a.is_excluded
from {{ ref('stg_overseas_filings') }} as f
join {{ ref('int_overseas_attribution') }} as a using (filing_no)
