-- Which enterprise holds which valid trademark registration when (the registrant).
select distinct
    a.enterprise_id,
    v.reg_no,
    v.nice_class,
    v.valid_from,
    v.valid_until
from {{ ref('int_trademark_validity') }} as v
join {{ ref('stg_trademarks') }} as t using (reg_no, nice_class)
join {{ ref('int_trademark_attribution') }} as a using (reg_no, nice_class)
where v.valid_from is not null and t.registrant is not null
