-- On the above-scale roster of the period's year (else the latest earlier roster):
-- above_scale_enterprises (count); above_scale_zero_invention (holding no valid invention patent as
-- any co-patentee: the 清零 target, 0); above_scale_invention_coverage (% holding >= 1 valid invention
-- patent); above_scale_ip_coverage (% holding >= 1 valid patent of any type or >= 1 valid trademark).
with roster as (
    -- counted per (period, unit, industry) in one pass over the enterprise rows
    select period_end, region_code, industry, count(*) as firms,
           count(*) filter (where valid_inventions > 0) as with_invention,
           count(*) filter (where valid_patents_any_type > 0 or valid_trademarks > 0) as with_ip
    from {{ ref('int_enterprise_period_status') }}
    where is_above_scale
    group by all
),

counted as (select period_end, region_code, industry, firms as num, firms as den from roster),
-- the 清零 firms: their rows of int_metric_enterprise_records, where the rule is written
zero as (
    select p.period_end, m.region_code, m.industries[1] as industry, 1 as num, 1 as den
    from {{ ref('int_periods') }} as p
    join {{ ref('int_metric_enterprise_records') }} as m
      on m.metric_code = 'above_scale_zero_invention'
     and m.counted_from <= p.period_end and (m.counted_until is null or m.counted_until > p.period_end)
    where p.in_window
),
invention as (select period_end, region_code, industry, with_invention as num, firms as den from roster),
ip as (select period_end, region_code, industry, with_ip as num, firms as den from roster)

select * from {{ window_metric('counted', 'above_scale_enterprises', 'count') }}
union all select * from {{ window_metric('zero', 'above_scale_zero_invention', 'count') }}
union all select * from {{ window_metric('invention', 'above_scale_invention_coverage', 'percent') }}
union all select * from {{ window_metric('ip', 'above_scale_ip_coverage', 'percent') }}
