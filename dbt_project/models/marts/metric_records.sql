-- (A view over the two sorted tables.) The records behind the record-counted metrics (int_metric_records for patents and trademarks,
-- int_metric_enterprise_records for enterprises: where their rules are written): which records each
-- metric counts, for which unit, from when to when. A record counts at month-end p for region_code
-- when counted_from <= p < counted_until (null: open), and for every industry in industries. The
-- dashboards' drill-downs read this; the metrics count the same rows. entered_by / left_by:
-- 'transfer' or 'reattribution' when a change of unit, not the record's own event, began or ended the row.
{{ config(materialized='view') }}
select metric_code, record_kind, record_key, region_code, industries, counted_from, counted_until, entered_by, left_by
from {{ ref('int_metric_records') }}
union all
select metric_code, record_kind, record_key, region_code, industries, counted_from, counted_until, entered_by, left_by
from {{ ref('int_metric_enterprise_records') }}
