-- A table, sorted by metric, unit and record (marts.metric_records is a view over it: the drill-downs
-- filter on those columns); the metric models read it instead of recomputing the rules.
-- Which records each record-counted metric counts, for which unit, and when: one row per metric and
-- record, counted at month-end p when counted_from <= p < counted_until (null: open). This is where
-- these metrics' membership rules are written; the metric models count these rows (stock: an
-- interval; year to date: from the event to the next 1 January) and marts.metric_records publishes
-- them for drill-downs, so a list and the number it explains cannot disagree.
-- industries: the record's industries (a patent counts for each), [] for trademarks.
-- A patent counts for the unit of its first patentee as known at the month-end (attribution_as_of),
-- a trademark for its registrant's: a record whose unit changed has a row per unit span
-- (int_patent_unit_segments, int_trademark_unit_segments), its interval
-- clipped to the span; entered_by / left_by ('transfer', 'reattribution') mark a row begun or ended by
-- the unit change rather than by the record's own event (null otherwise).
{%- set high_value_criteria = [
    ('high_value_invention_patents', 'high_value_from'),
    ('hv_strategic_emerging', 'hv_strategic_emerging_from'),
    ('hv_overseas_family', 'hv_overseas_family_from'),
    ('hv_maintained_10y', 'hv_maintained_from'),
    ('hv_pledge', 'hv_pledge_from'),
    ('hv_award', 'hv_award_from'),
] %}
with segments as (
    select * from {{ ref('int_patent_unit_segments') }}
),

industries as {{ patent_industry_lists() }},

-- the patents the pack counts, one row per unit span: a patent whose unit never changes has one open
-- span (int_pack_patents), one that changed holder or whose holder a roster moved has one per unit
-- (int_patent_unit_segments; spans outside the pack count for nothing)
patents as (
    select p.application_no, p.region_code, p.industries, p.is_invention, p.valid_from, p.valid_until,
           p.grant_date, p.lapse_reason, p.effective_lapse_date,
           cast(null as date) as unit_from, cast(null as date) as unit_until,
           cast(null as varchar) as entered_by, cast(null as varchar) as left_by
    from {{ ref('int_pack_patents') }} as p
    anti join segments as s on s.application_no = p.application_no
    union all
    select s.application_no, s.region_code, coalesce(i.industries, []), v.is_invention, v.valid_from, v.valid_until,
           v.grant_date, v.lapse_reason, v.effective_lapse_date,
           s.unit_from, s.unit_until, s.entered_by, s.left_by
    from segments as s
    join {{ ref('int_patent_validity') }} as v on v.application_no = s.application_no
    left join industries as i on i.application_no = s.application_no
    where s.region_code is not null
),

-- trademark registrations likewise (int_trademark_unit_segments), keyed reg_no || '/' || nice_class
trademark_segments as (
    select * from {{ ref('int_trademark_unit_segments') }}
),

marks as (
    select t.reg_no || '/' || cast(t.nice_class as varchar) as record_key, t.region_code, t.valid_from, t.valid_until,
           cast(null as date) as unit_from, cast(null as date) as unit_until,
           cast(null as varchar) as entered_by, cast(null as varchar) as left_by
    from {{ ref('int_pack_trademarks') }} as t
    anti join trademark_segments as s on s.record_key = t.reg_no || '/' || cast(t.nice_class as varchar)
    union all
    select s.record_key, s.region_code, v.valid_from, v.valid_until, s.unit_from, s.unit_until, s.entered_by, s.left_by
    from trademark_segments as s
    join {{ ref('int_trademark_validity') }} as v on s.record_key = v.reg_no || '/' || cast(v.nice_class as varchar)
    where s.region_code is not null
),

high_value as (
    select h.*, p.region_code, p.industries, p.unit_from, p.unit_until, p.entered_by, p.left_by
    from {{ ref('int_patent_high_value') }} as h
    join patents as p using (application_no)
)

-- valid_invention_patents: invention patents in force at period_end (granted, not lapsed, within
-- the term), for the unit of the first patentee
select 'valid_invention_patents' as metric_code, 'patent' as record_kind, application_no as record_key,
       region_code, industries, {{ unit_span_columns('valid_from', 'valid_until') }}
from patents
where is_invention and valid_from is not null and {{ unit_span_not_empty('valid_from', 'valid_until') }}

{% for code, column in high_value_criteria %}
union all
-- {{ code }}: valid inventions meeting the criterion (int_patent_high_value) from {{ column }}
select '{{ code }}', 'patent', application_no, region_code, industries, {{ unit_span_columns(column, 'valid_until') }}
from high_value
where {{ column }} is not null and {{ unit_span_not_empty(column, 'valid_until') }}
{% endfor %}

union all
-- invention_grants: invention patents granted in the year to date
select 'invention_grants', 'patent', application_no, region_code, industries,
       {{ unit_span_columns('grant_date', 'make_date(year(grant_date) + 1, 1, 1)') }}
from patents
where is_invention and grant_date is not null and {{ unit_span_not_empty('grant_date', 'make_date(year(grant_date) + 1, 1, 1)') }}

union all
-- lapsed_unpaid_fee: granted invention patents that lapsed for unpaid fees in the year to date
select 'lapsed_unpaid_fee', 'patent', application_no, region_code, industries,
       {{ unit_span_columns('effective_lapse_date', 'make_date(year(effective_lapse_date) + 1, 1, 1)') }}
from patents
where is_invention and lapse_reason = 'unpaid_fee' and grant_date is not null and effective_lapse_date is not null
  and {{ unit_span_not_empty('effective_lapse_date', 'make_date(year(effective_lapse_date) + 1, 1, 1)') }}

union all
-- valid_trademarks: registrations (registration number x class) in force at period_end, for the
-- registrant's unit
select 'valid_trademarks', 'trademark', record_key, region_code,
       cast([] as varchar[]), {{ unit_span_columns('valid_from', 'valid_until') }}
from marks
where valid_from is not null and {{ unit_span_not_empty('valid_from', 'valid_until') }}
order by metric_code, region_code, record_key
