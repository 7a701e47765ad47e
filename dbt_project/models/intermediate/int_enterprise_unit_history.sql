-- Enterprises a roster moved: the unit of every enterprise whose yearly rosters name different units,
-- one row per span [unit_from, unit_until) (null: open). Roster year Y's unit (所属县区 of its rows; the
-- enterprise roster before the designation rosters, as the enterprise master ranks them) holds from
-- 1 January Y until the next roster year that names another unit; the earliest stands for every
-- earlier month. The last span's unit is the master's (int_enterprise_master, roster_area).
-- Empty when attribution_as_of = newest: every period then takes the newest roster's unit.
with roster_units as (
    select r.enterprise_id, r.roster_year, pu.region_code, r.source_rank, r.file_as_of
    from {{ ref('int_entity_records') }} as r
    join {{ ref('int_place_units') }} as pu on pu.place = r.area
    where r.is_roster and not r.is_person and r.enterprise_id is not null
      and r.roster_year is not null and pu.region_code is not null
),

by_year as (
    select enterprise_id, roster_year,
           first(region_code order by source_rank, file_as_of desc nulls last, region_code) as region_code
    from roster_units
    group by enterprise_id, roster_year
),

moved as (
    select enterprise_id from by_year group by enterprise_id having count(distinct region_code) > 1
),

changes as (
    select b.*, lag(b.region_code) over (partition by b.enterprise_id order by b.roster_year) as previous_region
    from by_year as b
    semi join moved as m on m.enterprise_id = b.enterprise_id
    where {{ attribution_follows_period() }}
),

starts as (
    select * from changes where previous_region is null or previous_region <> region_code
)

select
    enterprise_id,
    region_code,
    case when previous_region is not null then make_date(roster_year, 1, 1) end as unit_from,
    make_date(lead(roster_year) over (partition by enterprise_id order by roster_year), 1, 1) as unit_until,
    previous_region
from starts
