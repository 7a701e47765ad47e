-- invention_grants: invention patents granted in the year to date (grant_date in [1 Jan, period_end]),
-- by the unit of the first patentee; by industry.
with grants as (
    -- the records counted (int_metric_records, where the rule is written): the grant date is the event
    select region_code, 'ALL' as industry_code, counted_from as event_date
    from {{ ref('int_metric_records') }}
    where metric_code = 'invention_grants'
    union all
    select region_code, unnest(industries), counted_from
    from {{ ref('int_metric_records') }}
    where metric_code = 'invention_grants'
),

ytd as {{ ytd_by_period('grants') }}

{{ as_metric('ytd', 'invention_grants') }}
