-- Each patentee of each patent (co-patentees split, in the order written), with the enterprise it
-- is: the patent's credit code for the first patentee when the export has one, else the name's
-- resolution (int_name_resolution). enterprise_id is never null: an individual or an organisation
-- known by name only is 'N:' || name_key. Enterprise-level metrics use every holder; regional
-- counts use the first patentee only.
select
    record_key as application_no,
    name as holder_name,
    position,
    position = 1 as is_first,
    name_key,
    enterprise_id,
    uscc,
    match_method,
    match_score,
    case when is_person then 'person' else 'organisation' end as holder_kind
from {{ ref('int_entity_records') }}
where source = 'patents'
