-- ip_advantage_enterprises_total: distinct enterprises ever designated, by period_end, at national
-- (示范/优势), provincial (示范/优势, 强企) or municipal (优势) level. ip_advantage_enterprises_new:
-- enterprises first designated at any of those levels or municipal 培育 in the year to date
-- (promotion from 培育 to 优势 is not new again). By the enterprise's industry.
-- The enterprises counted are the rows of int_metric_enterprise_records, where the rules are written.
with members as (
    select * from {{ ref('int_metric_enterprise_records') }}
    where metric_code in ('ip_advantage_enterprises_total', 'ip_advantage_enterprises_new')
),

total_intervals as (
    select region_code, 'ALL' as industry_code, counted_from as valid_from, counted_until as valid_until
    from members where metric_code = 'ip_advantage_enterprises_total'
    union all
    select region_code, unnest(industries), counted_from, counted_until
    from members where metric_code = 'ip_advantage_enterprises_total'
),

total as {{ stock_by_period('total_intervals') }},

new_events as (
    select region_code, 'ALL' as industry_code, counted_from as event_date
    from members where metric_code = 'ip_advantage_enterprises_new'
    union all
    select region_code, unnest(industries), counted_from
    from members where metric_code = 'ip_advantage_enterprises_new'
),

new_ytd as {{ ytd_by_period('new_events') }}

{{ as_metric('total', 'ip_advantage_enterprises_total') }}
union all
{{ as_metric('new_ytd', 'ip_advantage_enterprises_new') }}
