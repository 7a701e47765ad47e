-- valid_trademarks: registrations (registration number x class) in force at period_end
-- (int_trademark_validity), by the registrant's unit.
with intervals as (
    select region_code, 'ALL' as industry_code, valid_from, valid_until
    from {{ ref('int_pack_trademarks') }}
),

stock as {{ stock_by_period('intervals') }}

{{ as_metric('stock', 'valid_trademarks') }}
