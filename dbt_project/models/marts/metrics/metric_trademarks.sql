-- valid_trademarks: registrations (registration number x class) in force at period_end
-- (int_trademark_validity), by the registrant's unit.
with intervals as (
    select a.region_code, 'ALL' as industry_code, v.valid_from, v.valid_until
    from {{ ref('int_trademark_validity') }} as v
    join {{ ref('int_trademark_attribution') }} as a using (reg_no, nice_class)
    where not a.is_excluded
),

stock as {{ stock_by_period('intervals') }}

{{ as_metric('stock', 'valid_trademarks') }}
