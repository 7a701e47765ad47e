-- The one unit each trademark registration (reg_no x class) counts for, by its newest registrant: the
-- master entity's unit (not for an ambiguous name), else the address, else the credit code;
-- UNATTRIBUTED in the pack without a unit or with no location at all; excluded outside the pack.
-- Earlier registrants and roster moves: int_trademark_unit_segments.
with holders as (
    select t.reg_no, t.nice_class, r.enterprise_id, r.uscc as holder_uscc, r.match_method,
           cast(null as varchar) as patentee_uscc, t.address, r.uscc, r.match_score
    from {{ ref('stg_trademarks') }} as t
    join {{ ref('int_entity_records') }} as r
      on r.source = 'trademarks' and r.record_key = t.reg_no || '|' || t.nice_class
),

located as {{ locate_holders('holders', keys=['reg_no', 'nice_class'], keep=['uscc', 'match_score']) }}

select
    reg_no,
    nice_class,
    uscc,
    {{ attribution_columns() }},
    enterprise_id,
    match_method,
    match_score,
    master_region_method
from located
