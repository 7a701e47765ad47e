{#
  Several not-null rules in one query: one failing row per listed column that has nulls, naming the
  column and how many rows lack it. Used on the seeds, where a column-by-column not_null test per
  column would cost a query (and a Dagster check) each on every build.
#}
{% test columns_not_null(model, columns) %}
{% for column in columns %}
select '{{ column }}' as column_name, count(*) as null_rows
from {{ model }}
where {{ column }} is null
having count(*) > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
