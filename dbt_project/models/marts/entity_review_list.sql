-- Names that were not matched automatically because the match was ambiguous: the same name on two
-- credit codes, several fuzzy candidates at or above the threshold, or a candidate that is another
-- legal form (有限公司 / 有限责任公司) or a branch beside its parent. Nothing here is guessed: the
-- name counts as an enterprise of its own until the engineer writes a row in seeds/entity_overrides.csv
-- (name_key, enterprise_id); then review_status is 'resolved' and the override is used everywhere.
-- Listed only when some record carries the name without a credit code of its own (records, sources).
with open_names as (
    select * from {{ ref('int_name_resolution') }} where review_reason is not null
),

candidates as (
    select o.name_key, c.enterprise_id, c.candidate_key, c.score, c.conflict, m.enterprise as candidate_name,
           m.region_code as candidate_region
    from open_names as o, unnest(o.candidates) as u(c)
    left join {{ ref('int_enterprise_master') }} as m on m.enterprise_id = c.enterprise_id
),

candidate_lists as (
    select
        name_key,
        count(*) as candidate_count,
        list(struct_pack(enterprise_id, candidate_name, score, conflict, candidate_region)
             order by score desc nulls last, enterprise_id) as candidates,
        string_agg(enterprise_id || ' ' || coalesce(candidate_name, candidate_key)
                   || coalesce(' (' || cast(score as varchar) || ')', '')
                   || coalesce(' [' || conflict || ']', ''), '; ' order by score desc nulls last, enterprise_id)
            as candidates_text
    from candidates
    group by name_key
),

appearances as (
    select name_key, min(name) as example_name, count(*) as records, list(distinct source order by source) as sources
    from {{ ref('int_entity_records') }}
    where uscc is null or match_method = 'override'
    group by name_key
)

select
    o.name_key,
    a.example_name,
    o.review_reason,
    case o.review_reason
        when 'same_name_several_codes' then '同一名称对应多个统一社会信用代码'
        when 'several_candidates' then '相似名称有多个候选企业'
        when 'legal_form_differs' then '候选企业组织形式不同（有限公司/有限责任公司等）'
        when 'branch_vs_parent' then '候选为分公司与总公司关系'
    end as review_reason_label,
    o.review_status,
    case when o.review_status = 'resolved' then o.enterprise_id end as resolved_enterprise_id,
    c.candidate_count,
    c.candidates_text,
    c.candidates,
    a.records,
    a.sources
from open_names as o
join appearances as a using (name_key)  -- only names some record depends on (no code of its own)
left join candidate_lists as c using (name_key)
order by o.review_status, a.records desc nulls last, o.name_key
