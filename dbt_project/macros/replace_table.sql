{#
  A table model built in one statement: `create or replace table ... as (...)`, committed.

  dbt's own table materialization creates a temporary table, renames the old one to a backup,
  renames the new one into place, commits and drops the backup, with Jinja and events around each
  step. On DuckDB one `create or replace` is just as atomic (a failed query leaves the old table in
  place) and costs dbt less than half the time per model: a city build has ~80 table models.
  A relation of another kind under the same name (a model that was a view) is dropped first.
  Python models keep dbt's `table` materialization.
#}
{% materialization replace_table, adapter='duckdb', supported_languages=['sql'] %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {{ run_hooks(pre_hooks) }}
  {% if existing_relation is not none and not existing_relation.is_table %}
    {{ adapter.drop_relation(existing_relation) }}
  {% endif %}
  {% call statement('main') -%}
    create or replace table {{ target_relation }} as (
      {{ sql }}
    )
  {%- endcall %}
  {{ run_hooks(post_hooks) }}
  {% do adapter.commit() %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
