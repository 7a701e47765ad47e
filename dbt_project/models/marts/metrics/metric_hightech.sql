-- hightech_enterprises: distinct enterprises holding a high-tech certificate valid at period_end
-- (issue date <= period_end < issue date + hightech_valid_years); hightech_with_invention_rate: the
-- share of them holding >= 1 valid invention patent as any co-patentee. By the enterprise's industry.
with firms as (
    -- counted per (period, unit, industry) in one pass over the enterprise rows
    select period_end, region_code, industry, count(*) as firms,
           count(*) filter (where valid_inventions > 0) as with_invention
    from {{ ref('int_enterprise_period_status') }}
    where is_hightech
    group by all
),

counted as (select period_end, region_code, industry, firms as num, firms as den from firms),
with_invention as (select period_end, region_code, industry, with_invention as num, firms as den from firms)

select * from {{ window_metric('counted', 'hightech_enterprises', 'count') }}
union all
select * from {{ window_metric('with_invention', 'hightech_with_invention_rate', 'percent') }}
