-- Why a stock metric moved: every record that enters or leaves a stock metric's count, as one row
-- per event (a record entering at its valid_from, leaving at its valid_until), for its unit, with
-- the cause. A record counts at month-end p when valid_from <= p < valid_until, so a record whose
-- entry and exit fall in the same month never counts at any month-end and has no events here.
-- metric_change_decomposition sums these events between two month-ends; the dashboards drill
-- from a part of the decomposition to its records here.
--
-- The warehouse restates every period from each record's newest export (its current holder, its
-- current unit in the enterprise master): a transfer to another holder or a roster that moves a
-- firm changes the unit of the record's whole history, not the change between two month-ends. So
-- transfers and re-attribution are not parts here (metric_change_restatements counts them).
with patents as (
    select p.application_no, p.region_code, p.valid_from, p.valid_until, p.is_invention,
           v.term_end, p.lapse_reason, s.title, s.first_patentee
    from {{ ref('int_pack_patents') }} as p
    join {{ ref('int_patent_validity') }} as v using (application_no)
    join {{ ref('stg_patents') }} as s using (application_no)
    where p.is_invention and p.valid_from is not null
),

patent_exit as (
    select *,
        case
            when valid_until is null then null
            when valid_until >= term_end or lapse_reason = 'expired' then 'term_expiry'
            when lapse_reason = 'unpaid_fee' then 'lapse_unpaid_fee'
            when lapse_reason = 'invalidated' then 'lapse_invalidated'
            when lapse_reason = 'abandoned' then 'lapse_abandoned'
            else 'lapse_other'
        end as exit_cause
    from patents
),

high_value as (
    select p.*, h.high_value_from
    from patent_exit as p
    join {{ ref('int_patent_high_value') }} as h using (application_no)
    where h.high_value_from is not null
),

marks as (
    select t.reg_no || '|' || t.nice_class as record_key, t.region_code, t.valid_from, t.valid_until,
           s.name as record_name, s.registrant as holder,
           case when v.cancel_date is not null and t.valid_until = v.cancel_date then 'cancelled' else 'term_expiry' end as exit_cause
    from {{ ref('int_pack_trademarks') }} as t
    join {{ ref('int_trademark_validity') }} as v using (reg_no, nice_class)
    join {{ ref('stg_trademarks') }} as s using (reg_no, nice_class)
),

-- the unit of an enterprise, as int_enterprise_period_status places it
enterprise_place as (
    select enterprise_id, enterprise, region_code
    from (
        select enterprise_id, enterprise, region_code from {{ ref('int_enterprise_master') }}
        union all
        select distinct r.enterprise_id, r.enterprise, r.region_code
        from {{ ref('int_roster_enterprises') }} as r
        where r.enterprise_id not in (select enterprise_id from {{ ref('int_enterprise_master') }})
    )
    qualify row_number() over (partition by enterprise_id order by region_code nulls last) = 1
),

-- an enterprise is counted once however many overlapping windows it holds: its windows of one kind
-- are merged into islands of continuous membership (touching windows join)
designation_windows as (
    select 'hightech_enterprises' as metric_code, enterprise_id, valid_from, valid_until
    from {{ ref('int_enterprise_designations') }}
    where kind = 'hightech' and valid_from is not null
),

roster_years as (
    select roster_year, lead(roster_year) over (order by roster_year) as next_roster_year
    from (select distinct roster_year from {{ ref('int_above_scale_roster') }})
),

roster_windows as (
    -- on the roster of year y from 1 January y until the next roster's year starts
    select 'above_scale_enterprises' as metric_code, r.enterprise_id, make_date(r.roster_year, 1, 1) as valid_from,
           case when y.next_roster_year is not null then make_date(y.next_roster_year, 1, 1) end as valid_until
    from {{ ref('int_above_scale_roster') }} as r
    join roster_years as y using (roster_year)
),

enterprise_windows as (
    select * from designation_windows
    union all
    select * from roster_windows
),

ordered_windows as (
    select *,
        max(coalesce(valid_until, date '9999-12-31')) over (
            partition by metric_code, enterprise_id order by valid_from, valid_until nulls last
            rows between unbounded preceding and 1 preceding) as reach_before
    from enterprise_windows
),

islands as (
    select *, sum(case when reach_before is null or valid_from > reach_before then 1 else 0 end) over (
        partition by metric_code, enterprise_id order by valid_from, valid_until nulls last
        rows unbounded preceding) as island
    from ordered_windows
),

enterprise_islands as (
    select metric_code, enterprise_id, min(valid_from) as valid_from,
           nullif(max(coalesce(valid_until, date '9999-12-31')), date '9999-12-31') as valid_until
    from islands
    group by metric_code, enterprise_id, island
),

intervals as (
    select 'valid_invention_patents' as metric_code, region_code, 'patent' as record_kind,
           application_no as record_key, title as record_name, first_patentee as holder,
           valid_from, valid_until, 'grant' as entry_cause, exit_cause
    from patent_exit
    union all
    select 'high_value_invention_patents', region_code, 'patent', application_no, title, first_patentee,
           high_value_from, valid_until,
           case when high_value_from = valid_from then 'grant' else 'became_high_value' end, exit_cause
    from high_value
    union all
    select 'valid_trademarks', region_code, 'trademark', record_key, record_name, holder,
           valid_from, valid_until, 'registration', exit_cause
    from marks
    union all
    select i.metric_code, coalesce(e.region_code, 'UNATTRIBUTED'), 'enterprise', i.enterprise_id, e.enterprise, e.enterprise,
           i.valid_from, i.valid_until,
           case i.metric_code when 'hightech_enterprises' then 'certified' else 'joined_roster' end,
           case i.metric_code when 'hightech_enterprises' then 'certificate_expired' else 'left_roster' end
    from enterprise_islands as i
    left join enterprise_place as e using (enterprise_id)
),

counted as (
    -- only records that count at some month-end: in at one month-end, out by a later one
    select * from intervals
    where valid_from is not null
      and (valid_until is null or last_day(valid_until) > last_day(valid_from))
)

select metric_code, region_code, record_kind, record_key, record_name, holder,
       'in' as direction, 1 as delta, entry_cause as cause, valid_from as event_date,
       last_day(valid_from) as event_month, last_day(valid_until) as other_month
from counted
union all
select metric_code, region_code, record_kind, record_key, record_name, holder,
       'out', -1, exit_cause, valid_until, last_day(valid_until), last_day(valid_from)
from counted
where valid_until is not null
