-- Designation roster rows (high-tech, SRDI, IP advantage) not matched to an enterprise: no credit
-- code of their own, and their name matched no enterprise exactly, by override or fuzzily at or
-- above the threshold. Shows why (ambiguous → see entity_review_list; no candidate; closest candidate below the
-- threshold with its score) and whether patents or trademarks carry the same name (the row is then
-- still linked to them through its 'N:' enterprise).
{%- set threshold = setting('fuzzy_match_threshold') %}
with rows as (
    select * from {{ ref('int_roster_enterprises') }}
    where match_method in ('ambiguous', 'name_only', 'person', 'no_name')
),

closest as (
    select s.query_key as name_key, s.candidate_key, s.score, c.enterprise_id
    from {{ ref('int_name_match_scores') }} as s
    join {{ ref('int_name_match_inputs') }} as c on c.role = 'candidate' and c.name_key = s.candidate_key
    qualify row_number() over (partition by s.query_key order by s.score desc, c.enterprise_id) = 1
),

linked as (
    select enterprise_id, count(*) as records
    from {{ ref('int_entity_records') }}
    where source in ('patents', 'trademarks', 'overseas_filings', 'pledges')
    group by enterprise_id
)

select
    r.roster,
    r.roster_key,
    r.enterprise,
    r.name_key,
    r.enterprise_id,
    r.match_method,
    case
        when r.match_method = 'ambiguous' then 'ambiguous'
        when c.name_key is null then 'no_candidate'
        else 'below_threshold'
    end as reason,
    n.review_status,
    c.enterprise_id as closest_enterprise_id,
    m.enterprise as closest_enterprise,
    c.score as closest_score,
    cast('{{ threshold }}' as double) as threshold,
    coalesce(l.records, 0) as linked_records,
    r.region_code
from rows as r
left join {{ ref('int_name_resolution') }} as n using (name_key)
left join closest as c using (name_key)
left join {{ ref('int_enterprise_master') }} as m on m.enterprise_id = c.enterprise_id
left join linked as l on l.enterprise_id = r.enterprise_id
order by r.roster, r.enterprise
