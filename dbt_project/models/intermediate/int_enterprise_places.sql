-- Each enterprise's unit and industry for the enterprise-level metrics: the master's, else the
-- roster's (an enterprise only on a roster), one row per enterprise.
with enterprise_place as (
    select enterprise_id, enterprise, uscc, region_code, industry from {{ ref('int_enterprise_master') }}
    union all
    select distinct r.enterprise_id, r.enterprise, r.uscc, r.region_code, r.industry
    from {{ ref('int_roster_enterprises') }} as r
    where r.enterprise_id not in (select enterprise_id from {{ ref('int_enterprise_master') }})
)

select * from enterprise_place
qualify row_number() over (partition by enterprise_id order by region_code nulls last) = 1
