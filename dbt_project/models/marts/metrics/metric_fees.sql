-- fee_warning_patents: valid invention patents whose next annual fee is due within the warning window
-- or overdue within the grace period at period_end (marts.fee_warnings: due_soon, grace, lapse_risk;
-- patents without fee data are not counted). lapsed_unpaid_fee: invention patents that lapsed for
-- unpaid fees in the year to date. Both by the first patentee's unit and by industry.
with warned as (
    select w.period_end, w.region_code, i.industry, w.application_no
    from {{ ref('fee_warnings') }} as w
    left join (select application_no, unnest(industries) as industry from {{ ref('int_pack_patents') }}) as i
      on i.application_no = w.application_no
    where w.state in ('due_soon', 'grace', 'lapse_risk')
      and w.period_end in (select period_end from {{ ref('int_periods') }} where in_window)
),

per_patent as (
    select period_end, region_code, null as industry, 1 as num, 1 as den from (select distinct period_end, region_code, application_no from warned)
),

per_industry as (
    select period_end, region_code, industry, count(*) as num
    from warned where industry is not null group by all
),

root as (select region_code from {{ ref('int_regions') }} where is_root),

lapses as (
    -- the records counted (int_metric_records, where the rule is written): the lapse date is the event
    select region_code, 'ALL' as industry_code, counted_from as event_date
    from {{ ref('int_metric_records') }}
    where metric_code = 'lapsed_unpaid_fee'
    union all
    select region_code, unnest(industries), counted_from
    from {{ ref('int_metric_records') }}
    where metric_code = 'lapsed_unpaid_fee'
),

lapsed as {{ ytd_by_period('lapses') }}

select * from {{ window_metric('per_patent', 'fee_warning_patents', 'count') }}
union all
select period_end, region_code, industry, 'fee_warning_patents', cast(num as double), cast(num as double), cast(null as double)
from per_industry
union all
select period_end, (select region_code from root), industry, 'fee_warning_patents', cast(sum(num) as double), cast(sum(num) as double), cast(null as double)
from per_industry group by all
union all
{{ as_metric('lapsed', 'lapsed_unpaid_fee') }}
