-- Why a stock metric moved: every record that enters or leaves a stock metric's count, as one row
-- per event (a record entering at its counted_from, leaving at its counted_until), for its unit, with
-- the cause. The records are the metrics' own (int_metric_records, int_metric_enterprise_records),
-- so the events add up to the published counts. A record counts at month-end p when
-- counted_from <= p < counted_until, so a record whose entry and exit fall in the same month never
-- counts at any month-end and has no events here. metric_change_decomposition sums these events
-- between two month-ends; the dashboards drill from a part of the decomposition to its records here.
--
-- A record counts for the unit known at the month-end (attribution_as_of = period): a later export
-- naming another first patentee moves a patent out of one unit (transfer_out) and into another
-- (transfer_in) from that export's as-of date; a roster naming another unit moves a firm and the
-- patents it holds from 1 January of that roster year (reattribution_out / reattribution_in). A
-- holder leaving the pack is a transfer_out without a transfer_in; trademarks likewise by registrant. With attribution_as_of = newest
-- every period is restated instead and these causes do not occur (metric_change_restatements lists
-- the transfers seen).
{%- set enterprise_causes = {
    'hightech_enterprises': ('certified', 'certificate_expired'),
    'above_scale_enterprises': ('joined_roster', 'left_roster'),
    'srdi_sme_valid': ('designated', 'designation_expired'),
    'little_giant_valid': ('designated', 'designation_expired'),
    'ip_advantage_enterprises_total': ('designated', 'designation_expired'),
    'above_scale_zero_invention': ('joined_roster', 'left_roster'),
} %}
with records as (
    select * from {{ ref('int_metric_records') }}
    where metric_code in ('valid_invention_patents', 'high_value_invention_patents', 'valid_trademarks')
),

patent_records as (
    select r.metric_code, r.record_key as application_no, r.region_code, r.counted_from, r.counted_until,
           r.entered_by, r.left_by
    from records as r
    where r.metric_code in ('valid_invention_patents', 'high_value_invention_patents')
),

patents as (
    select r.*, v.valid_from, v.term_end, v.lapse_reason, s.title, s.first_patentee
    from patent_records as r
    join {{ ref('int_patent_validity') }} as v using (application_no)
    join {{ ref('stg_patents') }} as s using (application_no)
),

marks as (
    select r.metric_code, r.region_code, r.counted_from, r.counted_until, r.entered_by, r.left_by,
           v.reg_no || '|' || v.nice_class as record_key, s.name as record_name, s.registrant as holder,
           v.cancel_date
    from records as r
    join {{ ref('int_trademark_validity') }} as v
      on r.record_key = v.reg_no || '/' || cast(v.nice_class as varchar)
    join {{ ref('stg_trademarks') }} as s on s.reg_no = v.reg_no and s.nice_class = v.nice_class
    where r.metric_code = 'valid_trademarks'
),

enterprise_records as (
    select * from {{ ref('int_metric_enterprise_records') }}
    where metric_code in ({% for m in enterprise_causes %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

firms as (
    select r.metric_code, r.region_code, r.record_key, e.enterprise, r.counted_from, r.counted_until,
           r.entered_by, r.left_by,
           -- 清零 firms: in or out with a roster row of theirs, else by gaining or losing their inventions
           case when r.metric_code = 'above_scale_zero_invention' and starts.record_key is null then 'invention_lost' end as own_entry,
           case when r.metric_code = 'above_scale_zero_invention' and ends.record_key is null then 'invention_gained' end as own_exit
    from enterprise_records as r
    left join {{ ref('int_enterprise_places') }} as e on e.enterprise_id = r.record_key
    left join enterprise_records as starts
      on r.metric_code = 'above_scale_zero_invention' and starts.metric_code = 'above_scale_enterprises'
     and starts.record_key = r.record_key and starts.region_code = r.region_code and starts.counted_from = r.counted_from
    left join enterprise_records as ends
      on r.metric_code = 'above_scale_zero_invention' and ends.metric_code = 'above_scale_enterprises'
     and ends.record_key = r.record_key and ends.region_code = r.region_code and ends.counted_until = r.counted_until
),

-- patents and trademarks: one row per record and unit span already (unit_spans merged the spans of
-- one unit), so every row is a stay
record_intervals as (
    select metric_code, region_code, 'patent' as record_kind, application_no as record_key,
           title as record_name, first_patentee as holder, counted_from, counted_until,
           case
               when entered_by is not null then entered_by || '_in'
               when metric_code = 'high_value_invention_patents' and counted_from > valid_from then 'became_high_value'
               else 'grant'
           end as entry_cause,
           case
               when left_by is not null then left_by || '_out'
               when counted_until is null then null
               when counted_until >= term_end or lapse_reason = 'expired' then 'term_expiry'
               when lapse_reason = 'unpaid_fee' then 'lapse_unpaid_fee'
               when lapse_reason = 'invalidated' then 'lapse_invalidated'
               when lapse_reason = 'abandoned' then 'lapse_abandoned'
               else 'lapse_other'
           end as exit_cause
    from patents
    union all
    select metric_code, region_code, 'trademark', record_key, record_name, holder, counted_from, counted_until,
           case when entered_by is not null then entered_by || '_in' else 'registration' end,
           case
               when left_by is not null then left_by || '_out'
               when cancel_date is not null and counted_until = cancel_date then 'cancelled'
               else 'term_expiry'
           end
    from marks
),

firm_intervals as (
    select metric_code, region_code, 'enterprise' as record_kind, record_key, enterprise as record_name,
           enterprise as holder, counted_from, counted_until,
           case when entered_by is not null then entered_by || '_in'
                when own_entry is not null then own_entry
           {%- for m, causes in enterprise_causes.items() %}
                when metric_code = '{{ m }}' then '{{ causes[0] }}'
           {%- endfor %}
           end as entry_cause,
           case when left_by is not null then left_by || '_out'
                when own_exit is not null then own_exit
           {%- for m, causes in enterprise_causes.items() %}
                when metric_code = '{{ m }}' then '{{ causes[1] }}'
           {%- endfor %}
           end as exit_cause
    from firms
),

-- an enterprise's touching or overlapping rows for one unit are one stay (an above-scale firm on
-- two consecutive rosters, a high-tech firm re-certified): entry of its first row, exit of its last
ordered as (
    select *,
        max(coalesce(counted_until, date '9999-12-31')) over (
            partition by metric_code, record_key, region_code order by counted_from, counted_until nulls last
            rows between unbounded preceding and 1 preceding) as reach_before
    from firm_intervals
),

numbered as (
    select *, sum(case when reach_before is null or counted_from > reach_before then 1 else 0 end) over (
        partition by metric_code, record_key, region_code order by counted_from, counted_until nulls last
        rows unbounded preceding) as stay
    from ordered
),

stays as (
    select metric_code, region_code, record_kind, record_key,
           any_value(record_name) as record_name, any_value(holder) as holder,
           min(counted_from) as counted_from,
           nullif(max(coalesce(counted_until, date '9999-12-31')), date '9999-12-31') as counted_until,
           first(entry_cause order by counted_from) as entry_cause,
           first(exit_cause order by coalesce(counted_until, date '9999-12-31') desc) as exit_cause
    from numbered
    group by metric_code, region_code, record_kind, record_key, stay
),

-- a stay that ends the day another unit's stay of the same record begins moved between units: when
-- nothing else names the cause, a roster moved the firm (a window split at 1 January)
moves as (
    select *,
        case when entry_cause not in ('transfer_in', 'reattribution_in')
                  and lag(counted_until) over w = counted_from then 'reattribution_in'
             else entry_cause end as entry_cause_,
        case when exit_cause not in ('transfer_out', 'reattribution_out')
                  and lead(counted_from) over w = counted_until then 'reattribution_out'
             else exit_cause end as exit_cause_
    from stays
    window w as (partition by metric_code, record_key order by counted_from)
),

counted as (
    -- only records that count at some month-end: in at one month-end, out by a later one
    select metric_code, region_code, record_kind, record_key, record_name, holder, counted_from, counted_until,
           entry_cause, exit_cause
    from record_intervals
    where counted_from is not null
      and (counted_until is null or last_day(counted_until) > last_day(counted_from))
    union all
    select metric_code, region_code, record_kind, record_key, record_name, holder, counted_from, counted_until,
           entry_cause_, exit_cause_
    from moves
    where counted_from is not null
      and (counted_until is null or last_day(counted_until) > last_day(counted_from))
)

select metric_code, region_code, record_kind, record_key, record_name, holder,
       'in' as direction, 1 as delta, entry_cause as cause, counted_from as event_date,
       last_day(counted_from) as event_month, last_day(counted_until) as other_month
from counted
union all
select metric_code, region_code, record_kind, record_key, record_name, holder,
       'out', -1, exit_cause, counted_until, last_day(counted_until), last_day(counted_from)
from counted
where counted_until is not null
