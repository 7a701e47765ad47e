-- The one unit each patent counts for: its first patentee's master entity, else the address,
-- else the credit code's region digits; a Puyang record with no unit is UNATTRIBUTED;
-- a record outside the pack is excluded (region_code null, is_excluded true).
with first_holder as (
    select application_no, uscc from {{ ref('int_patent_holders') }} where is_first
),

located as (
    select
        p.application_no,
        e.region_code as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        p.address is null and coalesce(p.patentee_uscc, fh.uscc) is null as no_location
    from {{ ref('stg_patents') }} as p
    left join first_holder as fh using (application_no)
    left join {{ ref('int_enterprise_master') }} as e on e.uscc = fh.uscc
    left join {{ ref('int_address_units') }} as a on a.address = p.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = coalesce(p.patentee_uscc, fh.uscc)
)

select
    application_no,
    {{ attribution_columns() }}
from located
