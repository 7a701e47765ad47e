{{ config(materialized='ephemeral') }}
-- Each patent and each rule of the strategic-emerging table that takes one of its IPC symbols (all of
-- them, or only the main one: setting hv_strategic_ipc_scope), with what a later IPC edition added
-- (symbol -> the table's symbol it was read as), and whether the rule's keyword condition is met by
-- the title and by title and abstract (true for a rule without one). Ephemeral: read once, by
-- int_patent_strategic_emerging (at province scale it is ~1.3M rows that need not be written).
{%- set scope = setting('hv_strategic_ipc_scope') %}
{%- if scope not in ('all_symbols', 'main_only') %}
{{ exceptions.raise_compiler_error("setting hv_strategic_ipc_scope must be all_symbols or main_only, not '" ~ scope ~ "'") }}
{%- endif %}
with patent_symbols as (
    select application_no, symbol
    from (select application_no, ipc_main, unnest(ipc_list) as symbol from {{ ref('stg_patents') }})
    {%- if scope == 'main_only' %}
    where symbol = ipc_main
    {%- endif %}
),

matched as (
    select
        ps.application_no,
        sr.rule_id,
        bool_or(sr.taken_as_classified) as taken_as_classified,
        flatten(list(list_transform(sr.later_edition_readings, lambda r: ps.symbol || ' → ' || r))
                filter (where len(sr.later_edition_readings) > 0)) as later_edition_readings
    from patent_symbols as ps
    join {{ ref('int_ipc_symbol_strategic_rules') }} as sr using (symbol)
    group by all
),

texts as (
    select application_no, coalesce(title, '') as title_text, concat_ws(' ', title, abstract) as full_text
    from {{ ref('stg_patents') }}
)

select
    m.application_no,
    m.rule_id,
    r.branch_code,
    r.sector_code,
    m.taken_as_classified,
    coalesce(m.later_edition_readings, []) as later_edition_readings,
    {{ keyword_condition_met('t.title_text', 'r.keyword_terms', 'r.negative_terms') }} as title_meets_keywords,
    {{ keyword_condition_met('t.full_text', 'r.keyword_terms', 'r.negative_terms') }} as title_abstract_meets_keywords
from matched as m
join {{ ref('int_strategic_emerging_rules') }} as r using (rule_id)
join texts as t using (application_no)
