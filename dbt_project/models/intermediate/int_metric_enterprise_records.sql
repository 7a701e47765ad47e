-- A table, sorted by metric, unit and record (marts.metric_records is a view over it: the drill-downs
-- filter on those columns); the metric models read it instead of recomputing the rules.
-- Which enterprises each enterprise-counted metric counts, for which unit, and when: the enterprise
-- rows of marts.metric_records (record_kind 'enterprise', record_key the enterprise_id), counted at
-- month-end p when counted_from <= p < counted_until (null: open). This is where these metrics'
-- membership rules are written; the metric models (through int_enterprise_period_status for the
-- high-tech and above-scale metrics) count these rows, and the drill-downs list them.
-- It must stay interval-based: one row per enterprise and window, never enterprises x periods (at
-- nation scale there are millions of enterprises and a hundred periods).
-- Ratios (hightech_with_invention_rate, above_scale_*_coverage) have no rows of their own: their
-- denominator is hightech_enterprises / above_scale_enterprises. above_scale_zero_invention (清零)
-- rows are the above-scale rows while the firm holds no valid invention patent.
-- A firm a roster moved (int_enterprise_unit_history, attribution_as_of = period) counts for each
-- roster year's unit: its window is split at the move, entered_by / left_by = 'reattribution' there.
with designations as (
    select enterprise_id, kind, stage, is_first_of_kind, valid_from, valid_until
    from {{ ref('int_enterprise_designations') }}
),

-- srdi / ip_advantage metrics: the enterprise's unit and industry is that of its first roster row
roster_place as (
    select distinct enterprise_id, region_code, industry from {{ ref('int_roster_enterprises') }}
    qualify row_number() over (partition by enterprise_id order by region_code) = 1
),

-- validity windows of the "valid at period_end" metrics; an enterprise counts once however many
-- of its windows cover p, so overlapping or touching windows are merged into one
valid_windows as (
    select case kind when 'hightech' then 'hightech_enterprises'
                     when 'srdi_sme' then 'srdi_sme_valid'
                     else 'little_giant_valid' end as metric_code,
           enterprise_id, valid_from, valid_until
    from designations
    where kind in ('hightech', 'srdi_sme', 'little_giant')
      and valid_from is not null and (valid_until is null or valid_until > valid_from)
),

window_starts as (
    select *,
           case when valid_from <= max(coalesce(valid_until, date '9999-12-31')) over (
                    partition by metric_code, enterprise_id order by valid_from, valid_until nulls last
                    rows between unbounded preceding and 1 preceding)
                then 0 else 1 end as starts_window
    from valid_windows
),

merged_windows as (
    select metric_code, enterprise_id, min(valid_from) as counted_from,
           case when bool_or(valid_until is null) then null else max(valid_until) end as counted_until
    from (
        select *, sum(starts_window) over (
                      partition by metric_code, enterprise_id order by valid_from, valid_until nulls last
                      rows unbounded preceding) as window_no
        from window_starts
    )
    group by metric_code, enterprise_id, window_no
),

-- above_scale_enterprises: the roster of the period's year, else the latest earlier roster; roster
-- year Y applies from 1 January Y to 1 January of the next roster year
roster_years as (
    select roster_year, lead(roster_year) over (order by roster_year) as next_roster_year
    from (select distinct roster_year from {{ ref('int_above_scale_roster') }})
),

above_scale as (
    select distinct r.enterprise_id, make_date(y.roster_year, 1, 1) as counted_from,
           case when y.next_roster_year is not null then make_date(y.next_roster_year, 1, 1) end as counted_until
    from {{ ref('int_above_scale_roster') }} as r
    join roster_years as y using (roster_year)
),

place_counted as (
    -- high-tech and above-scale: the enterprise's unit and industry (int_enterprise_places)
    select w.metric_code, w.enterprise_id, w.counted_from, w.counted_until
    from merged_windows as w where w.metric_code = 'hightech_enterprises'
    union all
    select 'above_scale_enterprises', enterprise_id, counted_from, counted_until from above_scale
),

roster_counted as (
    -- srdi_sme_valid / little_giant_valid: a designation of that kind valid at period_end
    select metric_code, enterprise_id, counted_from, counted_until
    from merged_windows where metric_code in ('srdi_sme_valid', 'little_giant_valid')
    union all
    -- srdi_sme_new / little_giant_new: the first designation of that kind, published (公布; not a
    -- 复核 re-review), in the year to date
    select case kind when 'srdi_sme' then 'srdi_sme_new' else 'little_giant_new' end,
           enterprise_id, valid_from, make_date(year(valid_from) + 1, 1, 1)
    from designations
    where kind in ('srdi_sme', 'little_giant') and is_first_of_kind and stage = 'published'
    union all
    -- ip_advantage_enterprises_total: ever designated at national, provincial or municipal 优势
    -- level (not 培育), from the first such designation, cumulatively
    select 'ip_advantage_enterprises_total', enterprise_id, min(valid_from), cast(null as date)
    from designations
    where kind = 'ip_advantage'
    group by enterprise_id
    union all
    -- ip_advantage_enterprises_new: first designated at any of those levels or 培育 in the year to
    -- date (promotion from 培育 to 优势 is not new again: is_first_of_kind spans both)
    select 'ip_advantage_enterprises_new', enterprise_id, valid_from, make_date(year(valid_from) + 1, 1, 1)
    from designations
    where kind in ('ip_advantage', 'ip_advantage_cultivation') and is_first_of_kind
),

-- each enterprise's unit: the master's (or its roster's), as attribution_as_of has it: where a
-- roster moved the firm (int_enterprise_unit_history), the unit of each span, the window clipped to it
placed as (
    select c.metric_code, c.enterprise_id, coalesce(p.region_code, 'UNATTRIBUTED') as region_code,
           case when p.industry is null then cast([] as varchar[]) else [p.industry] end as industries,
           c.counted_from, c.counted_until
    from place_counted as c
    left join {{ ref('int_enterprise_places') }} as p using (enterprise_id)
    union all
    select c.metric_code, c.enterprise_id, r.region_code,
           case when r.industry is null then cast([] as varchar[]) else [r.industry] end,
           c.counted_from, c.counted_until
    from roster_counted as c
    join roster_place as r using (enterprise_id)
),

history as (
    select enterprise_id, region_code, unit_from, unit_until, 'reattribution' as entered_by, 'reattribution' as left_by
    from {{ ref('int_enterprise_unit_history') }}
),

spans as (
    select c.metric_code, c.enterprise_id, coalesce(h.region_code, c.region_code) as region_code, c.industries,
           c.counted_from as from_, c.counted_until as until_, h.unit_from, h.unit_until, h.entered_by, h.left_by
    from placed as c
    left join history as h
      on h.enterprise_id = c.enterprise_id
     and (h.unit_from is null or c.counted_until is null or h.unit_from < c.counted_until)
     and (h.unit_until is null or h.unit_until > c.counted_from)
),

counted as (
    select metric_code, 'enterprise' as record_kind, enterprise_id as record_key, region_code, industries,
           {{ unit_span_columns('from_', 'until_') }}
    from spans
    where {{ unit_span_not_empty('from_', 'until_') }}
),

-- above_scale_zero_invention (清零): an above-scale firm (its above_scale_enterprises rows, per unit)
-- while it holds no valid invention patent as any patentee (int_enterprise_patent_holdings): the
-- roster rows cut by the firm's invention islands (touching or overlapping holdings merged)
above_scale_rows as (
    select * from counted where metric_code = 'above_scale_enterprises'
),

inventions as (
    select h.enterprise_id, h.valid_from, h.valid_until
    from {{ ref('int_enterprise_patent_holdings') }} as h
    semi join (select distinct record_key from above_scale_rows) as a on a.record_key = h.enterprise_id
    where h.is_invention
),

invention_islands as (
    select enterprise_id, min(valid_from) as held_from,
           nullif(max(coalesce(valid_until, date '9999-12-31')), date '9999-12-31') as held_until
    from (
        select *, sum(case when reach_before is null or valid_from > reach_before then 1 else 0 end) over (
                      partition by enterprise_id order by valid_from, valid_until nulls last rows unbounded preceding) as island
        from (
            select *, max(coalesce(valid_until, date '9999-12-31')) over (
                          partition by enterprise_id order by valid_from, valid_until nulls last
                          rows between unbounded preceding and 1 preceding) as reach_before
            from inventions
        )
    )
    group by enterprise_id, island
),

-- the times a firm holds no valid invention: before its first island, between islands, after its last
gaps as (
    select enterprise_id, lag(held_until) over (partition by enterprise_id order by held_from) as gap_from,
           held_from as gap_until
    from invention_islands
    union all
    select enterprise_id, max(held_until), cast(null as date)
    from invention_islands
    group by enterprise_id
    having bool_and(held_until is not null)
),

zero_invention as (
    select 'above_scale_zero_invention' as metric_code, a.record_kind, a.record_key, a.region_code, a.industries,
           greatest(a.counted_from, g.gap_from) as counted_from,
           least(a.counted_until, g.gap_until) as counted_until,
           case when g.gap_from is null or g.gap_from <= a.counted_from then a.entered_by end as entered_by,
           case when g.gap_until is null or g.gap_until >= coalesce(a.counted_until, date '9999-12-31') then a.left_by end as left_by
    from above_scale_rows as a
    join gaps as g
      on g.enterprise_id = a.record_key
     and (g.gap_from is null or a.counted_until is null or g.gap_from < a.counted_until)
     and (g.gap_until is null or g.gap_until > a.counted_from)
    union all
    select 'above_scale_zero_invention', a.record_kind, a.record_key, a.region_code, a.industries,
           a.counted_from, a.counted_until, a.entered_by, a.left_by
    from above_scale_rows as a
    anti join invention_islands as i on i.enterprise_id = a.record_key
)

select * from counted
union all
select * from zero_invention
order by metric_code, region_code, record_key
