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
