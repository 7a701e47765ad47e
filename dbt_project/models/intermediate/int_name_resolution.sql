-- One row per normalised name: the enterprise the name stands for wherever it appears without its
-- own credit code, how that was decided and with what score. In order:
--   override     the engineer's entity_overrides row for the name (wins over everything below)
--   exact_name   the name (current, former or as listed) of exactly one coded enterprise (score 100)
--   ambiguous    the name of two coded enterprises; or a roster name whose fuzzy match is not
--                clear-cut: two or more candidates at or above the threshold, or a candidate that is
--                a different legal form (有限公司 / 有限责任公司 / 股份有限公司) or a branch beside its
--                parent — such a near twin is reported whatever its score. Never guessed: the name
--                stays an enterprise of its own ('N:' || key) and goes to the review list.
--   fuzzy        a roster name with exactly one candidate at or above fuzzy_match_threshold
--   person       a personal name (an individual patentee or registrant)
--   name_only    an organisation known by this name only
{%- set threshold = setting('fuzzy_match_threshold') %}
with forms as (select * from {{ ref('int_name_forms') }}),

overrides as (select name_key, enterprise_id from {{ ref('entity_overrides') }}),

coded as (select * from {{ ref('int_enterprise_names') }}),

exact as (select name_key, min(uscc) as uscc from coded where not is_ambiguous group by name_key),

exact_ambiguous as (
    select name_key, list(struct_pack(enterprise_id := uscc, candidate_key := name_key, score := 100.0,
                                      conflict := 'same_name_several_codes') order by uscc) as candidates
    from coded
    where is_ambiguous
    group by name_key
),

inputs as (select * from {{ ref('int_name_match_inputs') }}),

queries as (select name_key from inputs where role = 'query'),

candidates as (select name_key, enterprise_id from inputs where role = 'candidate'),

scored as (
    select s.query_key, c.enterprise_id, s.candidate_key, s.score
    from {{ ref('int_name_match_scores') }} as s
    join candidates as c on c.name_key = s.candidate_key
    where s.score >= cast('{{ threshold }}' as double)
),

near_twins as (
    -- differ only by 有限 / 有限责任
    select q.name_key as query_key, c.enterprise_id, c.name_key as candidate_key
    from queries as q
    join forms as qf on qf.name_key = q.name_key
    join forms as cf on cf.form_free_key = qf.form_free_key and cf.name_key <> qf.name_key
    join candidates as c on c.name_key = cf.name_key
    union
    -- the query is a branch of the candidate
    select q.name_key, c.enterprise_id, c.name_key
    from queries as q
    join forms as qf on qf.name_key = q.name_key
    join forms as cf on cf.form_free_key = replace(qf.parent_key, '有限责任公司', '有限公司')
    join candidates as c on c.name_key = cf.name_key
    union
    -- the candidate is a branch of the query
    select q.name_key, c.enterprise_id, c.name_key
    from queries as q
    join forms as qf on qf.name_key = q.name_key
    join forms as cf on replace(cf.parent_key, '有限责任公司', '有限公司') = qf.form_free_key
    join candidates as c on c.name_key = cf.name_key
),

query_candidates as (
    select
        x.query_key,
        x.enterprise_id,
        min(x.candidate_key) as candidate_key,
        max(s.score) as score,
        case
            when bool_or(qf.is_branch <> cf.is_branch) then 'branch_vs_parent'
            when bool_or(coalesce(qf.legal_form, '') <> coalesce(cf.legal_form, '')) then 'legal_form_differs'
        end as conflict
    from (select query_key, enterprise_id, candidate_key from scored
          union select * from near_twins) as x
    left join {{ ref('int_name_match_scores') }} as s
      on s.query_key = x.query_key and s.candidate_key = x.candidate_key
    join forms as qf on qf.name_key = x.query_key
    join forms as cf on cf.name_key = x.candidate_key
    group by x.query_key, x.enterprise_id
),

query_decisions as (
    select
        query_key,
        count(*) as candidate_count,
        min(enterprise_id) as only_enterprise_id,
        max(score) as best_score,
        case
            when count(*) > 1 then 'several_candidates'
            else max(conflict)
        end as review_reason,
        list(struct_pack(enterprise_id := enterprise_id, candidate_key := candidate_key, score := score,
                         conflict := conflict) order by score desc nulls last, enterprise_id) as candidates
    from query_candidates
    group by query_key
),

automatic as (
    select
        f.name_key,
        f.is_person,
        case
            when e.name_key is not null then 'exact_name'
            when a.name_key is not null then 'ambiguous'
            when d.query_key is not null and d.review_reason is null then 'fuzzy'
            when d.query_key is not null then 'ambiguous'
            when f.is_person then 'person'
            else 'name_only'
        end as match_method,
        case
            when e.name_key is not null then e.uscc
            when d.query_key is not null and d.review_reason is null and a.name_key is null then d.only_enterprise_id
            else 'N:' || f.name_key
        end as enterprise_id,
        case
            when e.name_key is not null then 100.0
            when a.name_key is null and d.query_key is not null and d.review_reason is null then d.best_score
        end as match_score,
        case
            when e.name_key is not null then null
            when a.name_key is not null then 'same_name_several_codes'
            else d.review_reason
        end as review_reason,
        coalesce(a.candidates, d.candidates) as candidates,
        q.name_key is not null as is_roster_query
    from forms as f
    left join exact as e using (name_key)
    left join exact_ambiguous as a using (name_key)
    left join query_decisions as d on d.query_key = f.name_key
    left join queries as q using (name_key)
)

select
    a.name_key,
    coalesce(o.enterprise_id, a.enterprise_id) as enterprise_id,
    case when coalesce(o.enterprise_id, a.enterprise_id) not like 'N:%' then coalesce(o.enterprise_id, a.enterprise_id) end as uscc,
    case when o.name_key is not null then 'override' else a.match_method end as match_method,
    case when o.name_key is null then a.match_score end as match_score,
    a.review_reason,
    case when a.review_reason is null then null when o.name_key is not null then 'resolved' else 'open' end as review_status,
    a.candidates,
    a.match_method as automatic_method,
    a.enterprise_id as automatic_enterprise_id,
    a.is_person,
    a.is_roster_query
from automatic as a
left join overrides as o using (name_key)
