-- The one unit each trademark registration counts for: its registrant's master entity, else the
-- address, else the credit code; UNATTRIBUTED in the pack without a unit; excluded outside it.
with marks as (
    select
        t.reg_no,
        t.nice_class,
        t.registrant,
        t.address,
        t.registrant_uscc,
        {{ name_key('t.registrant') }} as name_key
    from {{ ref('stg_trademarks') }} as t
),

matched as (
    select
        m.*,
        coalesce(e_code.uscc, n.uscc) as uscc,
        case when e_code.uscc is not null then 'credit_code' when n.uscc is not null then 'exact_name' end as match_method
    from marks as m
    left join {{ ref('int_enterprise_master') }} as e_code on e_code.uscc = m.registrant_uscc
    left join (select name_key, uscc from {{ ref('int_enterprise_names') }} where not is_ambiguous) as n
      on n.name_key = m.name_key
),

located as (
    select
        m.*,
        e.region_code as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        m.address is null and coalesce(m.registrant_uscc, m.uscc) is null as no_location
    from matched as m
    left join {{ ref('int_enterprise_master') }} as e on e.uscc = m.uscc
    left join {{ ref('int_address_units') }} as a on a.address = m.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = coalesce(m.registrant_uscc, m.uscc)
)

select
    reg_no,
    nice_class,
    uscc,
    match_method,
    {{ attribution_columns() }}
from located
