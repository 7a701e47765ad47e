{#- An IPC symbol or a pattern of the strategic-emerging table (seeds.yml: strategic_emerging_ipc_2021)
    as parts, written without spaces and without the version indicator ('G06N3/045(2023.01)'):
      form 'subclass'         'C07C*' (or a symbol of only a subclass)
      form 'group'            'H04L12*': main group 12 and everything under it (not H04L120)
      form 'subgroup_prefix'  'H04L12/40*': that subgroup and those whose digits continue it
      form 'exact'            'H04L12/403' or a patent's symbol: exactly that symbol
    The main group is read without leading zeros ('G06F003/01' is G06F3/01). -#}
{% macro ipc_parts(expr) -%}
    left({{ expr }}, 4) as subclass,
    nullif(ltrim(split_part(substr(rtrim({{ expr }}, '*'), 5), '/', 1), '0'), '') as main_group,
    nullif(split_part(rtrim({{ expr }}, '*'), '/', 2), '') as subgroup,
    case
        when length(rtrim({{ expr }}, '*')) <= 4 then 'subclass'
        when not contains({{ expr }}, '/') then 'group'
        when ends_with({{ expr }}, '*') then 'subgroup_prefix'
        else 'exact'
    end as form
{%- endmacro %}

{#- Whether pattern p covers reading r (both with ipc_parts columns): every symbol r stands for is
    one p stands for. A patent's symbol is a reading of form 'exact'. Callers join on subclass. -#}
{% macro ipc_covers(p, r) -%}
    (
        {{ p }}.form = 'subclass'
        or ({{ p }}.form = 'group' and {{ r }}.form <> 'subclass' and {{ r }}.main_group = {{ p }}.main_group)
        or ({{ p }}.form = 'subgroup_prefix' and {{ r }}.form in ('subgroup_prefix', 'exact')
            and {{ r }}.main_group = {{ p }}.main_group and starts_with({{ r }}.subgroup, {{ p }}.subgroup))
        or ({{ p }}.form = 'exact' and {{ r }}.form = 'exact'
            and {{ r }}.main_group = {{ p }}.main_group and {{ r }}.subgroup = {{ p }}.subgroup)
    )
{%- endmacro %}

{#- Whether a text (a title, or title and abstract) meets a rule's keyword condition: it contains one
    of the rule's terms (or the rule has none) and none of its negative terms. -#}
{% macro keyword_condition_met(text, terms, negative_terms) -%}
    (
        (len({{ terms }}) = 0 or len(list_filter({{ terms }}, lambda t: contains(coalesce({{ text }}, ''), t))) > 0)
        and len(list_filter({{ negative_terms }}, lambda t: contains(coalesce({{ text }}, ''), t))) = 0
    )
{%- endmacro %}

{#- A list without duplicates, sorted; sorted only when it has more than one item (cheaper per row). -#}
{% macro sorted_distinct_list(expr) -%}
    case when len({{ expr }}) > 1 then list_sort(list_distinct({{ expr }})) else {{ expr }} end
{%- endmacro %}
