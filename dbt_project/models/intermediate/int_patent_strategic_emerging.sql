-- One row per patent that the strategic-emerging table takes by its IPC symbols (keywords aside),
-- with whether it is taken under each keyword mode and, under the mode in use
-- (setting hv_strategic_keyword_mode: ignore | title | title_abstract), the rules that take it, their
-- branches and sectors, and what later IPC editions added. is_taken drives high-value criterion ①.
-- Lists are sorted only when they hold more than one item (most patents are taken by one rule).
{%- set mode = setting('hv_strategic_keyword_mode') %}
{%- set met = {'ignore': 'true', 'title': 'title_meets_keywords', 'title_abstract': 'title_abstract_meets_keywords'} %}
{%- if mode not in met %}
{{ exceptions.raise_compiler_error("setting hv_strategic_keyword_mode must be ignore, title or title_abstract, not '" ~ mode ~ "'") }}
{%- endif %}
{%- set in_mode = '' if mode == 'ignore' else ' filter (where ' ~ met[mode] ~ ')' %}
with per_patent as (
    select
        application_no,
        bool_or({{ met[mode] }}) as is_taken,
        bool_or(title_meets_keywords) as taken_by_title,
        bool_or(title_abstract_meets_keywords) as taken_by_title_abstract,
        coalesce(list(rule_id){{ in_mode }}, []) as rule_ids,
        coalesce(list(branch_code){{ in_mode }}, []) as branch_codes,
        coalesce(list(sector_code){{ in_mode }}, []) as sector_codes,
        {%- if mode == 'ignore' %}
        -- keywords ignored: the IPC lists are the lists above
        {%- else %}
        list(branch_code) as ipc_branch_codes,
        list(sector_code) as ipc_sector_codes,
        {%- endif %}
        -- rules that take the patent only through a later IPC edition's reading of its symbols
        coalesce(list(rule_id) filter (where {{ met[mode] }} and not taken_as_classified), []) as rule_ids_by_later_edition,
        coalesce(flatten(list(later_edition_readings) filter (where {{ met[mode] }} and len(later_edition_readings) > 0)), []) as later_edition_readings
    from {{ ref('int_patent_strategic_matches') }}
    group by application_no
)

select
    application_no,
    is_taken,
    true as taken_ignoring_keywords,
    taken_by_title,
    taken_by_title_abstract,
    {{ sorted_distinct_list('rule_ids') }} as rule_ids,
    {{ sorted_distinct_list('branch_codes') }} as branch_codes,
    {{ sorted_distinct_list('sector_codes') }} as sector_codes,
    {%- if mode == 'ignore' %}
    {{ sorted_distinct_list('branch_codes') }} as ipc_branch_codes,
    {{ sorted_distinct_list('sector_codes') }} as ipc_sector_codes,
    {%- else %}
    {{ sorted_distinct_list('ipc_branch_codes') }} as ipc_branch_codes,
    {{ sorted_distinct_list('ipc_sector_codes') }} as ipc_sector_codes,
    {%- endif %}
    {{ sorted_distinct_list('rule_ids_by_later_edition') }} as rule_ids_by_later_edition,
    {{ sorted_distinct_list('later_edition_readings') }} as later_edition_readings
from per_patent
