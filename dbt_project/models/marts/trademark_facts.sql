-- Every trademark registration with its validity window and unit, for drill-down.
select
    t.reg_no,
    t.nice_class,
    t.name,
    t.registrant,
    a.enterprise_id,
    a.region_code,
    a.attribution_method,
    v.valid_from,
    v.valid_until,
    t.status,
    t.term_end
from {{ ref('stg_trademarks') }} as t
join {{ ref('int_trademark_validity') }} as v using (reg_no, nice_class)
join {{ ref('int_trademark_attribution') }} as a using (reg_no, nice_class)
