-- srdi_sme_new / little_giant_new: enterprises whose first designation of that kind was published
-- (公布; not 公示, not a 复核 re-review) in the year to date. srdi_sme_valid / little_giant_valid:
-- enterprises with a designation of that kind valid at period_end. By the enterprise's industry.
-- The enterprises counted are the rows of int_metric_enterprise_records, where the rules are written.
{%- set kinds = [('srdi_sme', 'srdi_sme_new', 'srdi_sme_valid'), ('little_giant', 'little_giant_new', 'little_giant_valid')] %}
with members as (
    select * from {{ ref('int_metric_enterprise_records') }}
    where metric_code in ('srdi_sme_new', 'srdi_sme_valid', 'little_giant_new', 'little_giant_valid')
),

{% for kind, new_code, valid_code in kinds %}
new_{{ kind }} as (
    -- the first published designation's date is the event
    select region_code, 'ALL' as industry_code, counted_from as event_date
    from members where metric_code = '{{ new_code }}'
    union all
    select region_code, unnest(industries), counted_from
    from members where metric_code = '{{ new_code }}'
),
ytd_{{ kind }} as {{ ytd_by_period('new_' ~ kind) }},
valid_{{ kind }} as (
    -- an enterprise's windows do not overlap, so each counts once
    select p.period_end, m.record_key as enterprise_id, m.region_code, m.industries[1] as industry, 1 as num, 1 as den
    from {{ ref('int_periods') }} as p
    join members as m
      on m.metric_code = '{{ valid_code }}'
     and m.counted_from <= p.period_end and (m.counted_until is null or m.counted_until > p.period_end)
    where p.in_window
),
{% endfor %}

final as (
{% for kind, new_code, valid_code in kinds %}
    {{ as_metric('ytd_' ~ kind, new_code) }}
    union all
    select * from {{ window_metric('valid_' ~ kind, valid_code, 'count') }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select * from final
