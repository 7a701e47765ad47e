-- The trademark registrations (registration number x class) the pack's metrics count: every one
-- whose registrant's unit is in the pack (int_trademark_attribution, not excluded), with its unit
-- and validity interval. The period models read this instead of joining every registration of
-- the export to its attribution.
select
    v.reg_no,
    v.nice_class,
    a.region_code,
    v.valid_from,
    v.valid_until
from {{ ref('int_trademark_validity') }} as v
join {{ ref('int_trademark_attribution') }} as a
  on a.reg_no = v.reg_no and a.nice_class = v.nice_class and not a.is_excluded
