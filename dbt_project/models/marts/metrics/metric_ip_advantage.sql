-- ip_advantage_enterprises_total: distinct enterprises ever designated, by period_end, at national
-- (示范/优势), provincial (示范/优势, 强企) or municipal (优势) level. ip_advantage_enterprises_new:
-- enterprises first designated at any of those levels or municipal 培育 in the year to date
-- (promotion from 培育 to 优势 is not new again). By the enterprise's industry.
with designations as (
    select d.*, r.region_code, r.industry
    from {{ ref('int_enterprise_designations') }} as d
    join (select distinct enterprise_id, region_code, industry from {{ ref('int_roster_enterprises') }}
          qualify row_number() over (partition by enterprise_id order by region_code) = 1) as r using (enterprise_id)
    where d.kind in ('ip_advantage', 'ip_advantage_cultivation')
),

first_qualifying as (
    select enterprise_id, region_code, industry, min(valid_from) as valid_from
    from designations where kind = 'ip_advantage'
    group by all
),

total_intervals as (
    select region_code, 'ALL' as industry_code, valid_from, cast(null as date) as valid_until from first_qualifying
    union all
    select region_code, industry, valid_from, null from first_qualifying where industry is not null
),

total as {{ stock_by_period('total_intervals') }},

new_events as (
    select region_code, 'ALL' as industry_code, valid_from as event_date from designations where is_first_of_kind
    union all
    select region_code, industry, valid_from from designations where is_first_of_kind and industry is not null
),

new_ytd as {{ ytd_by_period('new_events') }}

{{ as_metric('total', 'ip_advantage_enterprises_total') }}
union all
{{ as_metric('new_ytd', 'ip_advantage_enterprises_new') }}
