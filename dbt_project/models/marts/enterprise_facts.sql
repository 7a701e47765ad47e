-- Every enterprise of the master with its unit and industry, for profiles and drill-down.
select
    enterprise_id,
    uscc,
    enterprise,
    region_code,
    region_method,
    industry as industry_code,
    gb_industry_code
from {{ ref('int_enterprise_master') }}
