-- valid_trademarks: registrations (registration number x class) in force at period_end
-- (int_trademark_validity), by the registrant's unit.
with intervals as (
    -- the records counted (int_metric_records, where the rule is written)
    select region_code, 'ALL' as industry_code, counted_from as valid_from, counted_until as valid_until
    from {{ ref('int_metric_records') }}
    where metric_code = 'valid_trademarks'
),

stock as {{ stock_by_period('intervals') }}

{{ as_metric('stock', 'valid_trademarks') }}
