-- One row per rule of the strategic-emerging table: its branch and sector, its keyword condition as
-- written and as the terms a text is searched for, and the doubts about its rows.
-- Terms (a mechanical reading, documented in seeds.yml): the keywords split at '；' '、' '，' and '等'
-- (not inside 等离子 / 等静压 / 等温 / 等轴 / 等径 / 等效); a trailing 相关关键词 / 关键词 / 相关 / 制造 and
-- a leading 以 / 其他 dropped; pieces shorter than two characters dropped. A phrase starting with
-- 不包含 / 不包括 / 不含 gives negative terms: a text containing one fails the condition.
with rules as (
    select
        rule_id,
        any_value(branch_code) as branch_code,
        any_value(branch_name) as branch_name,
        any_value(sector_code) as sector_code,
        any_value(sector_name) as sector_name,
        coalesce(any_value(keywords), '') as keywords,
        any_value(keyword_kind) as keyword_kind,
        count(*) filter (where pattern_kind = 'include') as include_patterns,
        count(*) filter (where pattern_kind = 'exclude') as exclude_patterns,
        list_sort(list_distinct(list(nullif(doubt, '')))) as doubts
    from {{ ref('strategic_emerging_ipc_2021') }}
    group by rule_id
),

phrases as (
    select rule_id, trim(unnest(string_split_regex(keywords, '[；;]'))) as phrase
    from rules
    where keywords <> ''
),

pieces as (
    select
        rule_id,
        regexp_matches(phrase, '^(不包含|不包括|不含)') as is_negative,
        unnest(string_split_regex(
            regexp_replace(regexp_replace(phrase, '^(不包含|不包括|不含)', ''), '等(离子|静压|温|轴|径|效)', chr(1) || '\1', 'g'),
            '[、，,]|等'
        )) as piece
    from phrases
),

terms as (
    select rule_id, is_negative, term
    from (
        select
            rule_id,
            is_negative,
            trim(regexp_replace(regexp_replace(replace(piece, chr(1), '等'), '(相关关键词|关键词|相关|制造)$', ''), '^(以|其他)', '')) as term
        from pieces
    )
    where length(term) >= 2
),

term_lists as (
    select
        rule_id,
        list_sort(list_distinct(list(term) filter (where not is_negative))) as keyword_terms,
        list_sort(list_distinct(list(term) filter (where is_negative))) as negative_terms
    from terms
    group by rule_id
)

select
    r.rule_id,
    r.branch_code,
    r.branch_name,
    r.sector_code,
    r.sector_name,
    r.keywords,
    r.keyword_kind,
    coalesce(t.keyword_terms, []) as keyword_terms,
    coalesce(t.negative_terms, []) as negative_terms,
    r.include_patterns,
    r.exclude_patterns,
    r.doubts
from rules as r
left join term_lists as t using (rule_id)
