-- Every metric's Chinese name, unit and definition, for the dashboards' glossary and headers.
select * from {{ ref('metric_definitions') }}
