{{ config(materialized='view') }}
-- The build's region pack and period window, as the pipeline set them for this run (a view, so
-- the period models always see the window of the run that is executing).
select
    region_pack,
    period_start,
    period_end,
    run_id,
    started_at
from {{ source('audit', 'build_context') }}
qualify row_number() over (order by started_at desc) = 1
