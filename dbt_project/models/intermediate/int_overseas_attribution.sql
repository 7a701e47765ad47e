-- The one unit each overseas filing (PCT, Madrid, direct foreign filing) counts for, by its first
-- applicant: master entity's unit, else address, else credit code; UNATTRIBUTED / excluded as for patents.
with applicants as (
    select record_key as filing_no, enterprise_id, uscc, match_method
    from {{ ref('int_entity_records') }}
    where source = 'overseas_filings'
),

located as (
    select
        f.filing_no,
        ap.enterprise_id,
        ap.uscc,
        ap.match_method,
        case when e.region_code <> 'UNATTRIBUTED' then e.region_code end as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        not coalesce(a.is_informative, false) and ap.uscc is null and not coalesce(e.has_location, false) as no_location
    from {{ ref('stg_overseas_filings') }} as f
    join applicants as ap using (filing_no)
    left join {{ ref('int_enterprise_master') }} as e
      on e.enterprise_id = ap.enterprise_id and ap.match_method <> 'ambiguous'
    left join {{ ref('int_address_units') }} as a on a.address = f.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = ap.uscc
)

select filing_no, uscc, {{ attribution_columns() }}, enterprise_id, match_method
from located
