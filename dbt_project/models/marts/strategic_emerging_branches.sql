-- The 40 branches of the strategic-emerging table with their sector, their rules and patterns, the
-- rules whose rows are doubtful, and the policy industry (policy_industry_branches) each maps to:
-- the labels of the strategic-emerging view on the 产业 page.
with rules as (select * from {{ ref('int_strategic_emerging_rules') }})

select
    r.branch_code,
    any_value(r.branch_name) as branch_name,
    any_value(r.sector_code) as sector_code,
    any_value(r.sector_name) as sector_name,
    count(*) as rules,
    sum(r.include_patterns) as include_patterns,
    sum(r.exclude_patterns) as exclude_patterns,
    count(*) filter (where len(r.keyword_terms) > 0 or len(r.negative_terms) > 0) as rules_with_keywords,
    coalesce(list_sort(list(r.rule_id) filter (where len(r.doubts) > 0)), []) as doubtful_rules,
    any_value(p.industry_code) as policy_industry_code
from rules as r
left join {{ ref('policy_industry_branches') }} as p using (branch_code)
group by r.branch_code
order by try_cast(split_part(r.branch_code, '.', 1) as integer), try_cast(split_part(r.branch_code, '.', 2) as integer)
