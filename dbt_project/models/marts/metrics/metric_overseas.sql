-- overseas_applications: PCT + Madrid + direct foreign patent/trademark filings dated in the year to
-- date; pct_applications and madrid_applications: the PCT and Madrid parts. By the applicant's unit.
{%- set parts = [('overseas_applications', "('pct', 'madrid', 'foreign_patent', 'foreign_trademark')"),
                 ('pct_applications', "('pct')"), ('madrid_applications', "('madrid')")] %}
with filings as (
    select f.kind, f.filing_date as event_date, a.region_code
    from {{ ref('stg_overseas_filings') }} as f
    join {{ ref('int_overseas_attribution') }} as a using (filing_no)
    where not a.is_excluded
),
{% for code, kinds in parts %}
ev_{{ code }} as (select region_code, 'ALL' as industry_code, event_date from filings where kind in {{ kinds }}),
y_{{ code }} as {{ ytd_by_period('ev_' ~ code) }}{% if not loop.last %},{% endif %}
{% endfor %}

{% for code, kinds in parts %}
{{ as_metric('y_' ~ code, code) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
