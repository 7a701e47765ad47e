-- valid_invention_patents: invention patents in force at period_end (granted on or before it, not
-- lapsed by it, within the 20-year term), counted for the unit of the first patentee; by industry.
-- valid_invention_patents_growth: the same against the same month one year earlier, in percent.
with intervals as (
    -- the records counted (int_metric_records, where the rule is written), for ALL and each industry
    select region_code, 'ALL' as industry_code, counted_from as valid_from, counted_until as valid_until
    from {{ ref('int_metric_records') }}
    where metric_code = 'valid_invention_patents'
    union all
    select region_code, unnest(industries), counted_from, counted_until
    from {{ ref('int_metric_records') }}
    where metric_code = 'valid_invention_patents'
),

stock as {{ stock_by_period('intervals') }}

select period_end, region_code, industry_code, 'valid_invention_patents' as metric_code,
       value, value as numerator, cast(null as double) as denominator
from stock
union all
select period_end, region_code, industry_code, 'valid_invention_patents_growth', value, numerator, denominator
from ({{ yoy_growth('stock') }})
