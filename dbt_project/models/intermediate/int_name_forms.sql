-- What a name key says about the entity behind it, for matching and its guards:
--   is_person       a personal name (2-4 Han characters, no organisation word at its end)
--   is_branch       a branch (…分公司, 分厂, 分店, 办事处): an entity of its own
--   parent_key      for a branch, the company it belongs to (the name up to its first legal form)
--   legal_form      股份有限公司, 有限责任公司, 有限公司, … of the company (the parent's for a branch)
--   form_free_key   the key with 有限责任公司 written 有限公司: two keys that differ only there
--                   name two different firms and are never matched to each other automatically
select
    name_key,
    regexp_full_match(name_key, '[\p{Han}·]{2,4}')
        and not regexp_matches(name_key, '(公司|厂|院|所|校|局|站|社|会|行|店|部|队|场|馆|中心|集团|油田|处|办|室|园|坊)$')
        as is_person,
    regexp_matches(name_key, '(分公司|分厂|分店|分行|分院|办事处|分部)$') as is_branch,
    case when regexp_matches(name_key, '(分公司|分厂|分店|分行|分院|办事处|分部)$')
         then nullif(regexp_extract(name_key, '^(.+?(有限责任公司|股份有限公司|有限公司|公司|厂))', 1), '')
    end as parent_key,
    nullif(regexp_extract(
        coalesce(
            case when regexp_matches(name_key, '(分公司|分厂|分店|分行|分院|办事处|分部)$')
                 then nullif(regexp_extract(name_key, '^(.+?(有限责任公司|股份有限公司|有限公司|公司|厂))', 1), '') end,
            name_key),
        '(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|合作社|厂|\(有限合伙\)|合伙企业)$', 1), '') as legal_form,
    replace(name_key, '有限责任公司', '有限公司') as form_free_key
from (
    select distinct norm as name_key
    from {{ ref('int_text_keys') }}
    where text_kind = 'name' and norm is not null
    union
    select name_key from {{ ref('entity_overrides') }}
)
