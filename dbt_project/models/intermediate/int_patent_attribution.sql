-- The one unit each patent counts for, by its first patentee: the master entity's unit (not when
-- the name is ambiguous: several firms bear it, so the entity says nothing), else the unit the
-- patent's address names, else the credit code's region digits. A patent in the pack
-- without a unit is UNATTRIBUTED; one with no location at all (no informative address, no code,
-- an entity nothing locates) is UNATTRIBUTED too (no_location); one outside the pack is excluded
-- (region_code null, is_excluded true).
with first_holder as (
    select application_no, enterprise_id, uscc, match_method from {{ ref('int_patent_holders') }} where is_first
),

located as (
    select
        p.application_no,
        fh.enterprise_id,
        fh.match_method,
        e.region_method as master_region_method,
        case when e.region_code <> 'UNATTRIBUTED' then e.region_code end as master_region,
        e.in_pack as master_in_pack,
        a.region_code as address_region,
        a.in_pack as address_in_pack,
        c.region_code as code_region,
        c.in_pack as code_in_pack,
        not coalesce(a.is_informative, false) and coalesce(p.patentee_uscc, fh.uscc) is null
            and not coalesce(e.has_location, false) as no_location
    from {{ ref('stg_patents') }} as p
    left join first_holder as fh using (application_no)
    left join {{ ref('int_enterprise_master') }} as e
      on e.enterprise_id = fh.enterprise_id and fh.match_method <> 'ambiguous'
    left join {{ ref('int_address_units') }} as a on a.address = p.address
    left join {{ ref('int_credit_code_units') }} as c on c.uscc = coalesce(p.patentee_uscc, fh.uscc)
)

select
    application_no,
    {{ attribution_columns() }},
    enterprise_id,
    match_method,
    master_region_method
from located
