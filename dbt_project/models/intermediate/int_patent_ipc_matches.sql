-- Which industries (multi-label) each patent's IPC symbols fall in,
-- by the pattern forms of seeds.yml (class, subclass, main group, exact symbol, symbol + '*').
-- A symbol is read without a version suffix ('C07C51/00(2006.01)' is C07C51/00).
with symbols as (
    select distinct application_no, regexp_replace(ipc_symbol, '\(.*$', '') as ipc_symbol
    from (select application_no, unnest(ipc_list) as ipc_symbol from {{ ref('stg_patents') }})
),

parsed as (
    select
        application_no,
        ipc_symbol,
        left(ipc_symbol, 4) as subclass,
        split_part(substr(ipc_symbol, 5), '/', 1) as main_group,
        split_part(substr(ipc_symbol, 5), '/', 2) as subgroup
    from symbols
)

select distinct s.application_no, p.pattern_set, p.target_code
from parsed as s
join {{ ref('int_ipc_patterns') }} as p
  on starts_with(s.ipc_symbol, p.class_prefix)
 and (p.main_group is null or s.main_group = p.main_group)
 and (p.subgroup is null or (p.subgroup_is_prefix and starts_with(s.subgroup, p.subgroup))
      or s.subgroup = p.subgroup)
