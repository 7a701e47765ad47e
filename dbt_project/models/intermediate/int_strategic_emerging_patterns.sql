-- The include and exclude patterns of the strategic-emerging table (seed strategic_emerging_ipc_2021),
-- parsed once into ipc_parts (macros/strategic_emerging.sql).
select
    rule_id,
    branch_code,
    sector_code,
    pattern_kind,
    ipc_pattern,
    {{ ipc_parts('ipc_pattern') }}
from {{ ref('strategic_emerging_ipc_2021') }}
