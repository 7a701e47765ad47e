-- Every designation an enterprise holds (high-tech, SRDI, IP advantage, above-scale roster years,
-- key enterprise years) as a validity window [valid_from, valid_until) (valid_until null = open).
select enterprise_id, kind, level, source_key, valid_from, valid_until,
       is_first_of_kind and stage = 'published' as counts_as_new
from {{ ref('int_enterprise_designations') }}
union all
select enterprise_id, 'above_scale', 'roster_' || roster_year, cast(roster_year as varchar),
       make_date(roster_year, 1, 1), make_date(roster_year + 1, 1, 1), false
from {{ ref('int_above_scale_roster') }}
union all
select enterprise_id, 'key_enterprise', 'roster_' || roster_year, cast(roster_year as varchar),
       make_date(roster_year, 1, 1), make_date(roster_year + 1, 1, 1), false
from {{ ref('int_above_scale_roster') }}
where is_key_enterprise
