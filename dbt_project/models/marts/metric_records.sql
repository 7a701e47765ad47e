-- The records behind the record-counted metrics (int_metric_records, where their rules are written):
-- which patents and trademarks each metric counts, for which unit, from when to when. A record counts
-- at month-end p for region_code when counted_from <= p < counted_until (null: open), and for every
-- industry in industries. The dashboards' drill-downs read this; the metrics count the same rows.
select metric_code, record_kind, record_key, region_code, industries, counted_from, counted_until
from {{ ref('int_metric_records') }}
order by metric_code, region_code, record_key
