-- Each patentee of each patent (co-patentees split), with the enterprise it is matched to.
-- Enterprise-level metrics use every holder; regional counts use the first patentee only.
with holders as (
    select
        p.application_no,
        h.holder_name,
        h.position,
        p.patentee_uscc
    from {{ ref('stg_patents') }} as p,
    lateral (
        select unnest(p.patentee_list) as holder_name, generate_subscripts(p.patentee_list, 1) as position
    ) as h
),

named as (
    select
        holders.*,
        {{ name_key('holder_name') }} as name_key
    from holders
),

by_name as (
    select name_key, uscc from {{ ref('int_enterprise_names') }} where not is_ambiguous
)

select
    n.application_no,
    n.holder_name,
    n.position,
    n.position = 1 as is_first,
    n.name_key,
    coalesce(case when n.position = 1 and m.uscc is not null then n.patentee_uscc end, b.uscc) as uscc,
    case
        when n.position = 1 and m.uscc is not null then 'credit_code'
        when b.uscc is not null then 'exact_name'
    end as match_method,
    -- an enterprise is its credit code where one is known, else its name key
    coalesce(case when n.position = 1 and m.uscc is not null then n.patentee_uscc end, b.uscc, 'N:' || n.name_key) as enterprise_id
from named as n
left join {{ ref('int_enterprise_master') }} as m on m.uscc = n.patentee_uscc
left join by_name as b on b.name_key = n.name_key
