-- The assumption settings this build used, with their values and descriptions (glossary, lineage).
{%- set names = [
    'high_value_pledge_threshold_wan', 'doubling_baseline_date', 'fee_warning_window_days', 'fee_grace_months',
    'invention_term_years', 'utility_model_term_years', 'design_term_years', 'design_term_years_before_change',
    'design_term_change_date', 'hv_maintained_years', 'hightech_valid_years', 'srdi_valid_years',
    'fuzzy_match_threshold', 'overseas_excluded_offices', 'hv_strategic_ipc_scope', 'hv_strategic_keyword_mode',
    'attribution_as_of'
] %}
with used as (
    {%- for name in names %}
    select '{{ name }}' as setting_name, '{{ setting(name) }}' as value
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
)

select
    u.setting_name,
    u.value,
    d.default_value,
    u.value <> d.default_value as is_overridden,
    d.unit,
    d.description_zh,
    d.source
from used as u
left join {{ ref('assumption_settings') }} as d using (setting_name)
