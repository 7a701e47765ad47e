-- The one unit each overseas filing (PCT, Madrid, direct foreign filing) counts for, by its first applicant.
with filings as (
    select f.*, {{ name_key('f.applicant') }} as name_key from {{ ref('stg_overseas_filings') }} as f
),

matched as (
    select f.*, coalesce(e_code.uscc, n.uscc) as uscc
    from filings as f
    left join {{ ref('int_enterprise_master') }} as e_code on e_code.uscc = f.applicant_uscc
    left join (select name_key, uscc from {{ ref('int_enterprise_names') }} where not is_ambiguous) as n
      on n.name_key = f.name_key
),

located as (
    select
        m.filing_no,
        m.uscc,
        e.region_code as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        m.address is null and coalesce(m.applicant_uscc, m.uscc) is null as no_location
    from matched as m
    left join {{ ref('int_enterprise_master') }} as e on e.uscc = m.uscc
    left join {{ ref('int_address_units') }} as a on a.address = m.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = coalesce(m.applicant_uscc, m.uscc)
)

select filing_no, uscc, {{ attribution_columns() }}
from located
