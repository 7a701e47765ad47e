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

{#- Records of a raw source whose exports name more than one holder over time: one row per run of
    consecutive exports (by as-of date) naming the same holder, keyed by `keys` (a list of columns),
    with run_no, holder_from (the as-of date of the run's first export; null for the first run),
    holder_until (the next run's holder_from; null for the newest run), is_newest, holder, and the
    run's first export's `extra` columns ({name: sql expression}). prefilter: evaluate holder_expr only
    for keys loaded more than once (worth it when the expression is expensive). One version per as-of date (the
    last row of the last file of that date, as latest_by_key picks the newest). -#}
{% macro holder_runs(source_name, keys, holder_expr, extra={}, prefilter=false) -%}
    {%- set key_list = keys | join(', ') %}
    with versions as (
        select {{ key_list }}, _file_as_of as file_as_of, {{ holder_expr }} as holder
            {%- for name, expr in extra.items() %}, {{ expr }} as {{ name }}{% endfor %}
        from {{ source('raw', source_name) }}
        semi join (
            select {{ key_list }} from {{ source('raw', source_name) }}
            {%- if prefilter %}
            -- an expensive holder expression only for records loaded more than once (a cheap count first)
            semi join (
                select {{ key_list }} from {{ source('raw', source_name) }}
                group by {{ key_list }} having count(*) > 1
            ) as repeated using ({{ key_list }})
            {%- endif %}
            group by {{ key_list }}
            having min(nullif(trim({{ holder_expr }}), '')) <> max(nullif(trim({{ holder_expr }}), ''))
        ) as several using ({{ key_list }})
        -- a version that names no holder says nothing about who holds it
        where nullif(trim({{ holder_expr }}), '') is not null
        qualify row_number() over (
            partition by {{ key_list }}, _file_as_of order by _source_file desc, _row_number desc) = 1
    ),

    runs as (
        select *, holder is distinct from lag(holder) over (partition by {{ key_list }} order by file_as_of) as starts_run
        from versions
    ),

    starts as (
        select *,
            row_number() over (partition by {{ key_list }} order by file_as_of) as run_no,
            lead(file_as_of) over (partition by {{ key_list }} order by file_as_of) as next_run_from
        from runs
        where starts_run
    )

    select {{ key_list }}, run_no,
           case when run_no > 1 then file_as_of end as holder_from,
           next_run_from as holder_until,
           next_run_from is null as is_newest,
           holder
           {%- for name in extra %}, {{ name }}{% endfor %},
           file_as_of
    from starts
{%- endmacro %}
