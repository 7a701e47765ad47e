{{ config(materialized='incremental', incremental_strategy='append', tags=['period'],
          pre_hook="{{ delete_period_window() }}") }}
-- The 清零 action list: enterprises on the period's above-scale roster holding no valid invention
-- patent (as any co-patentee), with what they do hold.
select
    period_end,
    uscc,
    enterprise,
    region_code,
    industry as industry_code,
    valid_patents_any_type,
    valid_trademarks
from {{ ref('int_enterprise_period_status') }}
where is_above_scale and valid_inventions = 0
