-- high_value_invention_patents: valid inventions meeting at least one of the five criteria at
-- period_end (int_patent_high_value); hv_strategic_emerging, hv_overseas_family, hv_maintained_10y,
-- hv_pledge, hv_award: the count per criterion (a patent may meet several). By industry.
{%- set criteria = [
    ('high_value_invention_patents', 'high_value_from'),
    ('hv_strategic_emerging', 'hv_strategic_emerging_from'),
    ('hv_overseas_family', 'hv_overseas_family_from'),
    ('hv_maintained_10y', 'hv_maintained_from'),
    ('hv_pledge', 'hv_pledge_from'),
    ('hv_award', 'hv_award_from'),
] %}
with patents as (
    select h.*, p.region_code, p.industries
    from {{ ref('int_patent_high_value') }} as h
    join {{ ref('int_pack_patents') }} as p using (application_no)
),

{% for code, column in criteria %}
iv_{{ code }} as (
    select region_code, 'ALL' as industry_code, {{ column }} as valid_from, valid_until from patents
    union all
    select region_code, unnest(industries), {{ column }}, valid_until from patents
),
s_{{ code }} as {{ stock_by_period('iv_' ~ code) }}{% if not loop.last %},{% endif %}
{% endfor %}

{% for code, column in criteria %}
{{ as_metric('s_' ~ code, code) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
