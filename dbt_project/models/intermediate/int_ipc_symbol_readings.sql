-- Every distinct IPC symbol of the patents, with the readings the strategic-emerging table (built on
-- IPC 2021.01) is matched against:
--   as_classified   the symbol itself;
--   revision        a later edition moved the table's old symbols here (seed ipc_revisions: a symbol
--                   under new_symbol_pattern is also read as old_symbol_pattern, e.g. H10K50/00 as
--                   H01L51*, G06V10/82 as G06K9* and G06K9/00);
--   later_subgroup  a symbol whose version indicator is later than 2021.01 (a subgroup created since,
--                   e.g. G06N3/045(2023.01)) is also read as each listed-form parent its subgroup digits
--                   continue (G06N3/04). Without a version indicator in the export no such reading is made.
with symbols as (
    select distinct symbol
    from (select unnest(ipc_list) as symbol from {{ ref('stg_patents') }})
    where symbol is not null
),

parsed as (
    select
        symbol,
        regexp_replace(symbol, '\(.*$', '') as base,
        nullif(regexp_extract(symbol, '\((\d{4}\.\d{2})\)', 1), '') as ipc_version
    from symbols
),

as_classified as (
    select symbol, ipc_version, 'as_classified' as reading_kind, base as reading, {{ ipc_parts('base') }}
    from parsed
),

revisions as (
    select old_symbol_pattern, new_symbol_pattern, {{ ipc_parts('new_symbol_pattern') }}
    from {{ ref('ipc_revisions') }}
),

revised as (
    select s.symbol, 'revision' as reading_kind, v.old_symbol_pattern as reading
    from as_classified as s
    join revisions as v on v.subclass = s.subclass and {{ ipc_covers('v', 's') }}
),

later_subgroups as (
    select symbol, 'later_subgroup' as reading_kind, reading
    from (
        select s.symbol, s.subclass || s.main_group || '/' || left(s.subgroup, n) as reading
        from as_classified as s, generate_series(2, length(s.subgroup) - 1) as t(n)
        where s.form = 'exact' and s.ipc_version > '2021.01' and length(s.subgroup) > 2
    )
)

select symbol, reading_kind, reading, subclass, main_group, subgroup, form from as_classified
union all
select symbol, reading_kind, reading, {{ ipc_parts('reading') }} from revised
union all
select symbol, reading_kind, reading, {{ ipc_parts('reading') }} from later_subgroups
