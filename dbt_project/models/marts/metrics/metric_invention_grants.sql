-- invention_grants: invention patents granted in the year to date (grant_date in [1 Jan, period_end]),
-- by the unit of the first patentee; by industry.
with grants as (
    select a.region_code, 'ALL' as industry_code, v.grant_date as event_date
    from {{ ref('int_patent_validity') }} as v
    join {{ ref('int_patent_attribution') }} as a using (application_no)
    where v.is_invention and not a.is_excluded and v.grant_date is not null
    union all
    select a.region_code, m.target_code, v.grant_date
    from {{ ref('int_patent_validity') }} as v
    join {{ ref('int_patent_attribution') }} as a using (application_no)
    join {{ ref('int_patent_ipc_matches') }} as m on m.application_no = v.application_no and m.pattern_set = 'industry'
    where v.is_invention and not a.is_excluded and v.grant_date is not null
),

ytd as {{ ytd_by_period('grants') }}

{{ as_metric('ytd', 'invention_grants') }}
