-- Which enterprise holds which patent when: an enterprise holds a patent while it is valid and the
-- enterprise is any of its patentees (co-patentees each hold it).
select distinct
    h.enterprise_id,
    v.application_no,
    v.is_invention,
    v.valid_from,
    v.valid_until
from {{ ref('int_patent_holders') }} as h
join {{ ref('int_patent_validity') }} as v using (application_no)
where v.valid_from is not null
