-- srdi_sme_new / little_giant_new: enterprises whose first designation of that kind was published
-- (公布; not 公示, not a 复核 re-review) in the year to date. srdi_sme_valid / little_giant_valid:
-- enterprises with a designation of that kind valid at period_end. By the enterprise's industry.
{%- set kinds = [('srdi_sme', 'srdi_sme_new', 'srdi_sme_valid'), ('little_giant', 'little_giant_new', 'little_giant_valid')] %}
with designations as (
    select d.*, r.region_code, r.industry
    from {{ ref('int_enterprise_designations') }} as d
    join (select distinct enterprise_id, region_code, industry from {{ ref('int_roster_enterprises') }}
          qualify row_number() over (partition by enterprise_id order by region_code) = 1) as r using (enterprise_id)
    where d.kind in ('srdi_sme', 'little_giant')
),

{% for kind, new_code, valid_code in kinds %}
new_{{ kind }} as (
    select region_code, 'ALL' as industry_code, valid_from as event_date
    from designations where kind = '{{ kind }}' and is_first_of_kind and stage = 'published'
    union all
    select region_code, industry, valid_from
    from designations where kind = '{{ kind }}' and is_first_of_kind and stage = 'published' and industry is not null
),
ytd_{{ kind }} as {{ ytd_by_period('new_' ~ kind) }},
valid_{{ kind }} as (
    select distinct p.period_end, d.enterprise_id, d.region_code, d.industry, 1 as num, 1 as den
    from {{ ref('int_periods') }} as p
    join designations as d
      on d.kind = '{{ kind }}' and d.valid_from <= p.period_end and (d.valid_until is null or d.valid_until > p.period_end)
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
