-- high_value_invention_patents: valid inventions meeting at least one of the five criteria at
-- period_end (int_patent_high_value; which patents: int_metric_records); hv_strategic_emerging, hv_overseas_family, hv_maintained_10y,
-- hv_pledge, hv_award: the count per criterion (a patent may meet several). By industry.
{%- set criteria = [
    'high_value_invention_patents', 'hv_strategic_emerging', 'hv_overseas_family', 'hv_maintained_10y',
    'hv_pledge', 'hv_award',
] %}
with {% for code in criteria %}
iv_{{ code }} as (
    -- the records counted (int_metric_records, where the rule is written), for ALL and each industry
    select region_code, 'ALL' as industry_code, counted_from as valid_from, counted_until as valid_until
    from {{ ref('int_metric_records') }} where metric_code = '{{ code }}'
    union all
    select region_code, unnest(industries), counted_from, counted_until
    from {{ ref('int_metric_records') }} where metric_code = '{{ code }}'
),
s_{{ code }} as {{ stock_by_period('iv_' ~ code) }}{% if not loop.last %},{% endif %}
{% endfor %}

{% for code in criteria %}
{{ as_metric('s_' ~ code, code) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
