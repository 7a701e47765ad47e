-- Every pledge registration with the pledgor's unit, for drill-down (counted once, however many
-- patents it covers).
select p.registration_no, array_to_string(p.application_nos, ';') as application_nos, p.pledgor, p.pledgee,
       p.amount_wan, p.registration_date, p.release_date, a.region_code, a.attribution_method
from {{ ref('stg_pledges') }} as p
join {{ ref('int_pledge_attribution') }} as a using (registration_no)
