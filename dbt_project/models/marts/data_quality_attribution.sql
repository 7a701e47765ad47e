-- How records are placed in units: per source, the records each attribution method placed, the
-- outcome (unit, unattributed = the city's pseudo-unit UNATTRIBUTED, excluded = outside the pack)
-- and the share of the source's records. Sources: patents (by first patentee), trademarks,
-- overseas filings, pledges, the three designation rosters (per row) and the enterprise master
-- (per enterprise, by how its unit was found). Units plus UNATTRIBUTED make the city; excluded
-- records count for nothing and are counted here.
with records as (
    select 'patents' as source, attribution_method, region_code, is_excluded from {{ ref('int_patent_attribution') }}
    union all
    select 'trademarks', attribution_method, region_code, is_excluded from {{ ref('int_trademark_attribution') }}
    union all
    select 'overseas_filings', attribution_method, region_code, is_excluded from {{ ref('int_overseas_attribution') }}
    union all
    select 'pledges', attribution_method, region_code, false from {{ ref('int_pledge_attribution') }}
    union all
    select roster, attribution_method, region_code, false from {{ ref('int_roster_enterprises') }}
    union all
    select 'enterprise_master', region_method, region_code, region_code is null from {{ ref('int_enterprise_master') }}
),

counted as (
    select
        source,
        attribution_method,
        case when is_excluded then 'excluded' when region_code = 'UNATTRIBUTED' then 'unattributed' else 'unit' end as outcome,
        count(*) as records
    from records
    group by all
)

select
    source,
    attribution_method,
    outcome,
    records,
    sum(records) over (partition by source) as source_records,
    round(100.0 * records / sum(records) over (partition by source), 2) as share_pct
from counted
order by source, outcome, records desc
