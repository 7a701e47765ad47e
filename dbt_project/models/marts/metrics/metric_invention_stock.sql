-- valid_invention_patents: invention patents in force at period_end (granted on or before it, not
-- lapsed by it, within the 20-year term), counted for the unit of the first patentee; by industry.
-- valid_invention_patents_growth: the same against the same month one year earlier, in percent.
with intervals as (
    select a.region_code, 'ALL' as industry_code, v.valid_from, v.valid_until
    from {{ ref('int_patent_validity') }} as v
    join {{ ref('int_patent_attribution') }} as a using (application_no)
    where v.is_invention and not a.is_excluded
    union all
    select a.region_code, m.target_code, v.valid_from, v.valid_until
    from {{ ref('int_patent_validity') }} as v
    join {{ ref('int_patent_attribution') }} as a using (application_no)
    join {{ ref('int_patent_ipc_matches') }} as m on m.application_no = v.application_no and m.pattern_set = 'industry'
    where v.is_invention and not a.is_excluded
),

stock as {{ stock_by_period('intervals') }}

select period_end, region_code, industry_code, 'valid_invention_patents' as metric_code,
       value, value as numerator, cast(null as double) as denominator
from stock
union all
select period_end, region_code, industry_code, 'valid_invention_patents_growth', value, numerator, denominator
from ({{ yoy_growth('stock') }})
