-- The above-scale industrial enterprise rosters by year (规上年度), with the key-enterprise flag of
-- that year's roster and each enterprise's unit and industry from the master.
select
    e.above_scale_year as roster_year,
    e.uscc as enterprise_id,
    e.uscc,
    m.enterprise,
    bool_or(e.is_key_enterprise) as is_key_enterprise,
    coalesce(m.region_code, 'UNATTRIBUTED') as region_code,
    m.industry
from {{ ref('stg_enterprises') }} as e
left join {{ ref('int_enterprise_master') }} as m on m.uscc = e.uscc
where e.above_scale_year is not null and coalesce(m.region_code, 'UNATTRIBUTED') is not null
group by all
