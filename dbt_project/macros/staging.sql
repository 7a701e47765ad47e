{#- The newest version of each record: a later file (as-of date, then name) supersedes an earlier one,
    and within a file the later row wins. -#}
{% macro latest_by_key(source_name, key_sql) -%}
    select *
    from {{ source('raw', source_name) }}
    qualify row_number() over (
        partition by {{ key_sql }}
        order by _file_as_of desc, _source_file desc, _row_number desc
    ) = 1
{%- endmacro %}

{#- Full-width ASCII folded to half-width (NFKC for the characters names and addresses use). -#}
{% macro fold_width(expr) -%}
    translate({{ expr }},
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')
{%- endmacro %}

{#- A name's matching key in SQL: width folded, whitespace and quotes dropped, every bracket form
    written '(' ')', Latin letters upper-cased. The canonical key is int_text_keys.norm, which also
    applies NFKC and traditional-to-simplified conversion; the two agree on names written in
    simplified characters. Resolve entities through int_name_resolution / the enterprise_id columns,
    not through this macro. -#}
{% macro name_key(expr) -%}
    nullif(upper(translate(regexp_replace({{ fold_width(expr) }}, '[\s"“”''‘’「」『』`]+', '', 'g'),
                           '〔〕【】[]{}〈〉《》', '()()()()()()')), '')
{%- endmacro %}

{#- An address without its leading postcode (exports glue it on: 457000河南省濮阳市...). -#}
{% macro strip_postcode(expr) -%}
    nullif(trim(regexp_replace({{ expr }}, '^\s*\d{6}\s*', '')), '')
{%- endmacro %}

{#- A ';'-separated list as a list of trimmed, non-empty items. -#}
{% macro split_list(expr) -%}
    list_filter(list_transform(string_split(coalesce({{ expr }}, ''), ';'), lambda x: trim(x)), lambda x: x <> '')
{%- endmacro %}

{#- Parts of an IPC pattern: 'C07' class, 'C10G' subclass, 'C01B3' main group 3 (all subgroups),
    'H01M8/00' exact symbol, 'G06N3/04*' or 'G06F40/*' that group and its subdivisions.
    class_prefix is the class or subclass text the symbol must start with. -#}
{% macro ipc_pattern_parts(expr) -%}
    case when length(rtrim({{ expr }}, '*')) <= 4 then rtrim({{ expr }}, '*') else left({{ expr }}, 4) end as class_prefix,
    nullif(split_part(substr(rtrim({{ expr }}, '*'), 5), '/', 1), '') as main_group,
    case when contains({{ expr }}, '/') then split_part(rtrim({{ expr }}, '*'), '/', 2) end as subgroup,
    ends_with({{ expr }}, '*') as subgroup_is_prefix
{%- endmacro %}
