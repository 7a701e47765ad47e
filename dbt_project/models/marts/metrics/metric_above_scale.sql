-- On the above-scale roster of the period's year (else the latest earlier roster):
-- above_scale_enterprises (count); above_scale_zero_invention (holding no valid invention patent as
-- any co-patentee: the 清零 target, 0); above_scale_invention_coverage (% holding >= 1 valid invention
-- patent); above_scale_ip_coverage (% holding >= 1 valid patent of any type or >= 1 valid trademark).
with roster as (
    select * from {{ ref('int_enterprise_period_status') }} where is_above_scale
),

counted as (select period_end, region_code, industry, 1 as num, 1 as den from roster),
zero as (select period_end, region_code, industry, case when valid_inventions = 0 then 1 else 0 end as num, 1 as den from roster),
invention as (select period_end, region_code, industry, case when valid_inventions > 0 then 1 else 0 end as num, 1 as den from roster),
ip as (
    select period_end, region_code, industry,
           case when valid_patents_any_type > 0 or valid_trademarks > 0 then 1 else 0 end as num, 1 as den
    from roster
)

select * from {{ window_metric('counted', 'above_scale_enterprises', 'count') }}
union all select * from {{ window_metric('zero', 'above_scale_zero_invention', 'count') }}
union all select * from {{ window_metric('invention', 'above_scale_invention_coverage', 'percent') }}
union all select * from {{ window_metric('ip', 'above_scale_ip_coverage', 'percent') }}
