-- Every pattern of the strategic-emerging table and of the IPC revision map is in one of the four
-- forms the matching understands (macros/strategic_emerging.sql): a row here would match nothing.
select 'strategic_emerging_ipc_2021' as seed, ipc_pattern as pattern
from {{ ref('strategic_emerging_ipc_2021') }}
where not regexp_full_match(ipc_pattern, '[A-H][0-9]{2}[A-Z](\*|[0-9]{1,4}\*|[0-9]{1,4}/[0-9]{2,6}\*?)')
union all
select 'ipc_revisions', p
from {{ ref('ipc_revisions') }}, unnest([old_symbol_pattern, new_symbol_pattern]) as t(p)
where not regexp_full_match(p, '[A-H][0-9]{2}[A-Z](\*|[0-9]{1,4}\*|[0-9]{1,4}/[0-9]{2,6}\*?)')
