{{ config(materialized='view') }}
-- Which records each record-counted metric counts, for which unit, and when: one row per metric and
-- record, counted at month-end p when counted_from <= p < counted_until (null: open). This is where
-- these metrics' membership rules are written; the metric models count these rows (stock: an
-- interval; year to date: from the event to the next 1 January) and marts.metric_records publishes
-- them for drill-downs, so a list and the number it explains cannot disagree.
-- industries: the record's industries (a patent counts for each), [] for trademarks.
{%- set high_value_criteria = [
    ('high_value_invention_patents', 'high_value_from'),
    ('hv_strategic_emerging', 'hv_strategic_emerging_from'),
    ('hv_overseas_family', 'hv_overseas_family_from'),
    ('hv_maintained_10y', 'hv_maintained_from'),
    ('hv_pledge', 'hv_pledge_from'),
    ('hv_award', 'hv_award_from'),
] %}
with high_value as (
    select h.*, p.region_code, p.industries
    from {{ ref('int_patent_high_value') }} as h
    join {{ ref('int_pack_patents') }} as p using (application_no)
)

-- valid_invention_patents: invention patents in force at period_end (granted, not lapsed, within
-- the term), for the unit of the first patentee
select 'valid_invention_patents' as metric_code, 'patent' as record_kind, application_no as record_key,
       region_code, industries, valid_from as counted_from, valid_until as counted_until
from {{ ref('int_pack_patents') }}
where is_invention and valid_from is not null and (valid_until is null or valid_until > valid_from)

{% for code, column in high_value_criteria %}
union all
-- {{ code }}: valid inventions meeting the criterion (int_patent_high_value) from {{ column }}
select '{{ code }}', 'patent', application_no, region_code, industries, {{ column }}, valid_until
from high_value
where {{ column }} is not null and (valid_until is null or valid_until > {{ column }})
{% endfor %}

union all
-- invention_grants: invention patents granted in the year to date
select 'invention_grants', 'patent', application_no, region_code, industries,
       grant_date, make_date(year(grant_date) + 1, 1, 1)
from {{ ref('int_pack_patents') }}
where is_invention and grant_date is not null

union all
-- lapsed_unpaid_fee: granted invention patents that lapsed for unpaid fees in the year to date
select 'lapsed_unpaid_fee', 'patent', application_no, region_code, industries,
       effective_lapse_date, make_date(year(effective_lapse_date) + 1, 1, 1)
from {{ ref('int_pack_patents') }}
where is_invention and lapse_reason = 'unpaid_fee' and grant_date is not null and effective_lapse_date is not null

union all
-- valid_trademarks: registrations (registration number x class) in force at period_end, for the
-- registrant's unit
select 'valid_trademarks', 'trademark', reg_no || '/' || cast(nice_class as varchar), region_code,
       cast([] as varchar[]), valid_from, valid_until
from {{ ref('int_pack_trademarks') }}
where valid_from is not null and (valid_until is null or valid_until > valid_from)
