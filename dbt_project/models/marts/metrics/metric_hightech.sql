-- hightech_enterprises: distinct enterprises holding a high-tech certificate valid at period_end
-- (issue date <= period_end < issue date + hightech_valid_years); hightech_with_invention_rate: the
-- share of them holding >= 1 valid invention patent as any co-patentee. By the enterprise's industry.
with firms as (
    select period_end, region_code, industry, valid_inventions
    from {{ ref('int_enterprise_period_status') }}
    where is_hightech
),

counted as (select period_end, region_code, industry, 1 as num, 1 as den from firms),
with_invention as (select period_end, region_code, industry, case when valid_inventions > 0 then 1 else 0 end as num, 1 as den from firms)

select * from {{ window_metric('counted', 'hightech_enterprises', 'count') }}
union all
select * from {{ window_metric('with_invention', 'hightech_with_invention_rate', 'percent') }}
