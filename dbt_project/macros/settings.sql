{#- A metric assumption: the environment variable IPWH_<NAME> if set, else the dbt var (dbt_project.yml). -#}
{% macro setting(name) -%}
    {{- return(env_var('IPWH_' ~ (name | upper), var(name) | string)) -}}
{%- endmacro %}

{#- The active region pack (puyang, henan, ...), chosen by IPWH_REGION_PACK. -#}
{% macro region_pack() -%}
    '{{ env_var("IPWH_REGION_PACK", "puyang") }}'
{%- endmacro %}

{#- The period window of a partitioned run: IPWH_PERIOD_START / IPWH_PERIOD_END as YYYY-MM-DD,
    empty meaning "every period with data". Read through env_var so partial parsing survives. -#}
{% macro period_window_start() -%}
    {%- set v = env_var('IPWH_PERIOD_START', '') -%}
    {%- if v -%}DATE '{{ v }}'{%- else -%}DATE '1900-01-01'{%- endif -%}
{%- endmacro %}
{% macro period_window_end() -%}
    {%- set v = env_var('IPWH_PERIOD_END', '') -%}
    {%- if v -%}DATE '{{ v }}'{%- else -%}DATE '2999-12-31'{%- endif -%}
{%- endmacro %}
{% macro period_window_is_full() -%}
    {{- return(not env_var('IPWH_PERIOD_START', '') and not env_var('IPWH_PERIOD_END', '')) -}}
{%- endmacro %}

{#- true when attribution follows the period (setting attribution_as_of = period): a record counts at a
    month-end for the holder and roster known then; false for newest (every period restated from the
    newest export). Any other value stops the build. -#}
{% macro attribution_follows_period() -%}
    {%- set v = setting('attribution_as_of') | trim -%}
    {%- if v not in ['period', 'newest'] -%}
        {{ exceptions.raise_compiler_error("setting attribution_as_of must be 'period' or 'newest', not '" ~ v ~ "'") }}
    {%- endif -%}
    {{- 'true' if v == 'period' else 'false' -}}
{%- endmacro %}
