{#- Stock metrics from validity intervals, for every period, without a row-per-period join.
    `intervals` is a relation with region_code (a unit or UNATTRIBUTED; excluded records left out),
    industry_code ('ALL' or an industry), valid_from and valid_until (exclusive; null = open).
    A record valid on [from, until) counts at month-end p when from <= p < until: +1 at
    last_day(from), -1 at last_day(until). Each record counts for its unit and for the root.
    Returns period_end, region_code, industry_code, value for every period of int_periods:
    dense for industry ALL and every region, dense over periods for industry rows that occur. -#}
{% macro stock_by_period(intervals) -%}
    (
    with iv as (
        select region_code, industry_code, valid_from, valid_until
        from {{ intervals }}
        where valid_from is not null and (valid_until is null or valid_until > valid_from)
    ),
    -- one pass over the records (both events of a record from one row), summed per unit; the root's
    -- deltas are the sum of its units' (at nation scale the records are tens of millions, and
    -- scanning a CTE twice made DuckDB keep all of them, then twice as many, in memory)
    unit_deltas as (
        select region_code, industry_code, period_end, sum(delta) as delta
        from (
            select region_code, industry_code,
                   unnest([last_day(valid_from), last_day(valid_until)]) as period_end,
                   unnest([1, -1]) as delta
            from iv
        )
        where period_end is not null
        group by all
    ),
    deltas as {{ _with_root('unit_deltas') }},
    {{ _period_spine('deltas') }}
    select
        s.period_end,
        s.region_code,
        s.industry_code,
        cast(sum(coalesce(d.delta, 0)) over (
            partition by s.region_code, s.industry_code order by s.period_end rows unbounded preceding
        ) as double) as value
    from spine as s
    left join deltas as d using (period_end, region_code, industry_code)
    )
{%- endmacro %}

{#- Flow metrics counted year to date: events dated in [1 January, period_end].
    `events` has region_code, industry_code, event_date (and optionally weight, default 1). -#}
{% macro ytd_by_period(events, weight='1') -%}
    (
    with ev as (
        select region_code, industry_code, event_date, {{ weight }} as weight
        from {{ events }}
        where event_date is not null
    ),
    -- summed per unit first, then the root as the sum of its units (see stock_by_period)
    unit_deltas as (
        select region_code, industry_code, last_day(event_date) as period_end, sum(weight) as delta
        from ev
        group by all
    ),
    deltas as {{ _with_root('unit_deltas') }},
    {{ _period_spine('deltas') }}
    select
        s.period_end,
        s.region_code,
        s.industry_code,
        cast(sum(coalesce(d.delta, 0)) over (
            partition by s.region_code, s.industry_code, year(s.period_end)
            order by s.period_end rows unbounded preceding
        ) as double) as value
    from spine as s
    left join deltas as d using (period_end, region_code, industry_code)
    )
{%- endmacro %}

{#- Each patent's industries (multi-label, from its IPC symbols: int_patent_ipc_matches), sorted. -#}
{% macro patent_industry_lists() -%}
    (
        select application_no, list(target_code order by target_code) as industries
        from {{ ref('int_patent_ipc_matches') }}
        where pattern_set = 'industry'
        group by application_no
    )
{%- endmacro %}

{#- Deltas per (region, industry, period) for the units and, as the sum of its units', the root. -#}
{% macro _with_root(unit_deltas) -%}
    (
        select region_code, industry_code, period_end, sum(delta) as delta
        from (
            select region_code, industry_code, period_end, delta from {{ unit_deltas }}
            union all
            select (select region_code from {{ ref('int_regions') }} where is_root), industry_code, period_end, delta
            from {{ unit_deltas }}
        )
        group by all
    )
{%- endmacro %}

{% macro _period_spine(deltas) -%}
    spine as (
        select p.period_end, r.region_code, 'ALL' as industry_code
        from {{ ref('int_periods') }} as p cross join {{ ref('int_regions') }} as r
        union all
        select p.period_end, c.region_code, c.industry_code
        from {{ ref('int_periods') }} as p
        cross join (select distinct region_code, industry_code from {{ deltas }} where industry_code <> 'ALL') as c
    )
{%- endmacro %}

{#- Year-on-year growth in percent of a series CTE (period_end, region_code, industry_code, value):
    NULL where the value a year earlier is missing or 0. -#}
{% macro yoy_growth(series) -%}
    select
        period_end,
        region_code,
        industry_code,
        case when prior_value is not null and prior_value <> 0 then (value / prior_value - 1) * 100 end as value,
        value as numerator,
        prior_value as denominator
    from (
        select *, lag(value, 12) over (partition by region_code, industry_code order by period_end) as prior_value
        from {{ series }}
    )
{%- endmacro %}

{#- Before an incremental period model inserts its window, remove the rows of that window so a
    re-run replaces exactly those periods. -#}
{% macro delete_period_window() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where period_end between (select period_start from audit.build_context order by started_at desc limit 1)
                         and (select period_end from audit.build_context order by started_at desc limit 1)
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- Enterprise-level metrics over this run's window, from a relation with period_end, region_code,
    industry (nullable), num and den (per enterprise: 1/0 flags or counts). Rows: dense for industry
    ALL over every window period and region (the root included), sparse for industries.
    kind: 'count' (value = sum(num)), 'percent' (100 * sum(num) / sum(den), NULL when den = 0),
    'ratio' (sum(num) / sum(den)). -#}
{% macro window_metric(relation, metric_code, kind='count') -%}
    (
    -- summed per (period, unit, industry) first: a relation of one row per enterprise and period
    -- is tens of millions of rows at nation scale, the sums are a few thousand
    with base as (
        select period_end, region_code, industry, sum(num) as num, sum(den) as den
        from {{ relation }} group by all
    ),
    root as (select region_code from {{ ref('int_regions') }} where is_root),
    expanded as (
        select period_end, region_code, 'ALL' as industry_code, num, den from base
        union all select period_end, (select region_code from root), 'ALL', num, den from base
        union all select period_end, region_code, industry, num, den from base where industry is not null
        union all select period_end, (select region_code from root), industry, num, den from base where industry is not null
    ),
    agg as (
        select period_end, region_code, industry_code, sum(num) as num, sum(den) as den
        from expanded group by all
    ),
    spine as (
        select p.period_end, r.region_code, 'ALL' as industry_code
        from {{ ref('int_periods') }} as p cross join {{ ref('int_regions') }} as r
        where p.in_window
        union
        select period_end, region_code, industry_code from agg where industry_code <> 'ALL'
    )
    select
        s.period_end, s.region_code, s.industry_code, '{{ metric_code }}' as metric_code,
        {%- if kind == 'count' %}
        cast(coalesce(a.num, 0) as double) as value, cast(coalesce(a.num, 0) as double) as numerator, cast(null as double) as denominator
        {%- elif kind == 'percent' %}
        case when a.den > 0 then 100.0 * a.num / a.den end as value, cast(coalesce(a.num, 0) as double) as numerator, cast(coalesce(a.den, 0) as double) as denominator
        {%- else %}
        case when a.den > 0 then 1.0 * a.num / a.den end as value, cast(coalesce(a.num, 0) as double) as numerator, cast(coalesce(a.den, 0) as double) as denominator
        {%- endif %}
    from spine as s
    left join agg as a using (period_end, region_code, industry_code)
    )
{%- endmacro %}

{#- Rows of a stock or flow series as metric rows (counts: numerator = value). -#}
{% macro as_metric(series, metric_code) -%}
    select period_end, region_code, industry_code, '{{ metric_code }}' as metric_code,
           value, value as numerator, cast(null as double) as denominator
    from {{ series }}
{%- endmacro %}

{#- What each enterprise of `population` (period_end, enterprise_id) holds at its period_end, from
    validity events instead of a period x holding join: +1 when a holding of `holdings`
    (enterprise_id, valid_from, valid_until exclusive) becomes valid, -1 when it ends; the running
    total per enterprise at the last event on or before period_end (an ASOF join) counts the
    holdings with valid_from <= period_end < valid_until. `counts` maps each output column to the
    weight of a holding (1, or a 0/1 expression); enterprises without any event get no row. -#}
{% macro holdings_at_period_end(population, holdings, counts) -%}
    (
    with wanted as materialized (
        -- only the enterprises asked about: a national export holds millions the pack never asks for
        select distinct enterprise_id from {{ population }}
    ),
    held as materialized (
        select h.* from {{ holdings }} as h semi join wanted as w on w.enterprise_id = h.enterprise_id
    ),
    events as (
        select enterprise_id, valid_from as event_date
            {%- for name, weight in counts.items() %}, {{ weight }} as {{ name }}{% endfor %}
        from held
        where valid_until is null or valid_until > valid_from
        union all
        select enterprise_id, valid_until
            {%- for name, weight in counts.items() %}, -({{ weight }}){% endfor %}
        from held
        where valid_until > valid_from
    ),
    running as (
        select enterprise_id, event_date
            {%- for name in counts %}, sum(sum({{ name }})) over w as {{ name }}{% endfor %}
        from events
        group by enterprise_id, event_date
        window w as (partition by enterprise_id order by event_date rows between unbounded preceding and current row)
    )
    select s.period_end, s.enterprise_id {%- for name in counts %}, r.{{ name }}{% endfor %}
    from {{ population }} as s
    asof join running as r
      on r.enterprise_id = s.enterprise_id and r.event_date <= s.period_end
    )
{%- endmacro %}

{#- A record's counting interval [from_expr, until_expr) clipped to its unit span [unit_from, unit_until)
    (int_patent_unit_segments; null bounds open): counted_from, counted_until, and entered_by / left_by
    ('transfer', 'reattribution') when the unit span, not the record's own event, begins or ends it. -#}
{% macro unit_span_columns(from_expr, until_expr) -%}
    greatest({{ from_expr }}, unit_from) as counted_from,
    least({{ until_expr }}, unit_until) as counted_until,
    case when unit_from > {{ from_expr }} then entered_by end as entered_by,
    case when unit_until < coalesce({{ until_expr }}, date '9999-12-31') then left_by end as left_by
{%- endmacro %}

{#- The interval [from_expr, until_expr) clipped to [span_from, span_until) (null bounds open) is not
    empty (see unit_span_columns; the holdings clip validity to a holder's span the same way). -#}
{% macro unit_span_not_empty(from_expr, until_expr, span_from='unit_from', span_until='unit_until') -%}
    (least({{ until_expr }}, {{ span_until }}) is null
     or least({{ until_expr }}, {{ span_until }}) > greatest({{ from_expr }}, {{ span_from }}))
{%- endmacro %}
