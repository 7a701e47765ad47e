-- The one unit each overseas filing (PCT, Madrid, direct foreign filing) counts for, by its first
-- applicant: master entity's unit, else address, else credit code; UNATTRIBUTED / excluded as for patents.
with applicants as (
    select f.filing_no, ap.enterprise_id, ap.uscc as holder_uscc, ap.match_method,
           cast(null as varchar) as patentee_uscc, f.address, ap.uscc
    from {{ ref('stg_overseas_filings') }} as f
    join {{ ref('int_entity_records') }} as ap on ap.source = 'overseas_filings' and ap.record_key = f.filing_no
),

located as {{ locate_holders('applicants', keys=['filing_no'], keep=['uscc']) }}

select filing_no, uscc, {{ attribution_columns() }}, enterprise_id, match_method
from located
