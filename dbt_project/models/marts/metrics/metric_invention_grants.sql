-- invention_grants: invention patents granted in the year to date (grant_date in [1 Jan, period_end]),
-- by the unit of the first patentee; by industry.
with grants as (
    select region_code, 'ALL' as industry_code, grant_date as event_date
    from {{ ref('int_pack_patents') }}
    where is_invention and grant_date is not null
    union all
    select region_code, unnest(industries), grant_date
    from {{ ref('int_pack_patents') }}
    where is_invention and grant_date is not null
),

ytd as {{ ytd_by_period('grants') }}

{{ as_metric('ytd', 'invention_grants') }}
