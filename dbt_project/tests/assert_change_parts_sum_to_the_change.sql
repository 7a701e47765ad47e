-- metric_change_decomposition: for every period, comparison, region and metric the parts sum to
-- end_value - start_value exactly (within floating-point noise for the per-10k metrics). Rows returned fail.
select period_end, comparison, region_code, metric_code, any_value(change) as change, sum(value) as parts
from {{ ref('metric_change_decomposition') }}
group by period_end, comparison, region_code, metric_code
having (any_value(change) is null) <> (sum(value) is null)
    or abs(any_value(change) - sum(value)) > 1e-9
