-- IPC patterns of the industry seed, parsed once (see ipc_matches()). The strategic-emerging table
-- has its own matching (int_strategic_emerging_patterns, int_ipc_symbol_strategic_rules).
select
    'industry' as pattern_set, industry_code as target_code, ipc_pattern,
    {{ ipc_pattern_parts('ipc_pattern') }}
from {{ ref('ipc_industry_map') }}
