-- The active region pack as the dashboards and exports show it: root, units, UNATTRIBUTED.
select region_code, region_name, short_name, level, parent_code, is_assessment_unit, sort_order, is_root
from {{ ref('int_regions') }}
