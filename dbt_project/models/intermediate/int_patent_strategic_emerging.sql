-- One row per patent that the strategic-emerging table takes by its IPC symbols (keywords aside),
-- with whether it is taken under each keyword mode and, under the mode in use
-- (setting hv_strategic_keyword_mode: ignore | title | title_abstract), the rules that take it, their
-- branches and sectors, and what later IPC editions added. is_taken drives high-value criterion ①.
{%- set mode = setting('hv_strategic_keyword_mode') %}
{%- set met = {'ignore': 'true', 'title': 'title_meets_keywords', 'title_abstract': 'title_abstract_meets_keywords'} %}
{%- if mode not in met %}
{{ exceptions.raise_compiler_error("setting hv_strategic_keyword_mode must be ignore, title or title_abstract, not '" ~ mode ~ "'") }}
{%- endif %}
with matches as (
    select *, {{ met[mode] }} as taken_in_mode
    from {{ ref('int_patent_strategic_matches') }}
)

select
    application_no,
    bool_or({{ met[mode] }}) as is_taken,
    true as taken_ignoring_keywords,
    bool_or(title_meets_keywords) as taken_by_title,
    bool_or(title_abstract_meets_keywords) as taken_by_title_abstract,
    coalesce(list_sort(list(rule_id) filter (where taken_in_mode)), []) as rule_ids,
    coalesce(list_sort(list_distinct(list(branch_code) filter (where taken_in_mode))), []) as branch_codes,
    coalesce(list_sort(list_distinct(list(sector_code) filter (where taken_in_mode))), []) as sector_codes,
    list_sort(list_distinct(list(branch_code))) as ipc_branch_codes,
    list_sort(list_distinct(list(sector_code))) as ipc_sector_codes,
    -- rules that take the patent only through a later IPC edition's reading of its symbols
    coalesce(list_sort(list(rule_id) filter (where taken_in_mode and not taken_as_classified)), []) as rule_ids_by_later_edition,
    coalesce(list_sort(list_distinct(flatten(list(later_edition_readings) filter (where taken_in_mode)))), []) as later_edition_readings
from matches
group by application_no
