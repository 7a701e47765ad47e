-- The one unit each trademark registration (reg_no x class) counts for, by its registrant: the
-- master entity's unit (not for an ambiguous name), else the address, else the credit code;
-- UNATTRIBUTED in the pack without a unit or with no location at all; excluded outside the pack.
with registrants as (
    select split_part(record_key, '|', 1) as reg_no, split_part(record_key, '|', 2) as nice_class,
           enterprise_id, uscc, match_method, match_score
    from {{ ref('int_entity_records') }}
    where source = 'trademarks'
),

located as (
    select
        t.reg_no,
        t.nice_class,
        r.enterprise_id,
        r.uscc,
        r.match_method,
        r.match_score,
        e.region_method as master_region_method,
        case when e.region_code <> 'UNATTRIBUTED' then e.region_code end as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        not coalesce(a.is_informative, false) and r.uscc is null and not coalesce(e.has_location, false) as no_location
    from {{ ref('stg_trademarks') }} as t
    join registrants as r on r.reg_no = t.reg_no and r.nice_class = t.nice_class
    left join {{ ref('int_enterprise_master') }} as e
      on e.enterprise_id = r.enterprise_id and r.match_method <> 'ambiguous'
    left join {{ ref('int_address_units') }} as a on a.address = t.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = r.uscc
)

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
