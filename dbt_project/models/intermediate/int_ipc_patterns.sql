-- IPC patterns of the industry and strategic-emerging seeds, parsed once (see ipc_matches()).
select
    'industry' as pattern_set, industry_code as target_code, ipc_pattern,
    {{ ipc_pattern_parts('ipc_pattern') }}
from {{ ref('ipc_industry_map') }}
union all
select
    'strategic_emerging', sei_code, ipc_pattern,
    {{ ipc_pattern_parts('ipc_pattern') }}
from {{ ref('strategic_emerging_ipc') }}
