-- The one unit each patent counts for, by its newest first patentee: the master entity's unit (not
-- when the name is ambiguous: several firms bear it, so the entity says nothing), else the unit the
-- patent's address names, else the credit code's region digits. A patent in the pack
-- without a unit is UNATTRIBUTED; one with no location at all (no informative address, no code,
-- an entity nothing locates) is UNATTRIBUTED too (no_location); one outside the pack is excluded
-- (region_code null, is_excluded true). Earlier holders and roster moves: int_patent_unit_segments.
with holders as (
    select p.application_no, fh.enterprise_id, fh.uscc as holder_uscc, fh.match_method, p.patentee_uscc, p.address
    from {{ ref('stg_patents') }} as p
    left join {{ ref('int_patent_holders') }} as fh on fh.application_no = p.application_no and fh.is_first
),

located as {{ locate_holders('holders') }}

select
    application_no,
    {{ attribution_columns() }},
    enterprise_id,
    match_method,
    master_region_method
from located
