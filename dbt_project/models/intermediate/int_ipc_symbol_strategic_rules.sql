-- Which rules of the strategic-emerging table take each distinct IPC symbol: a reading of the symbol
-- (int_ipc_symbol_readings) is covered by an include of the rule and by none of that rule's excludes.
-- Matching runs on distinct symbols (tens of thousands even nationally), joined on the subclass, so the
-- cost does not grow with the number of patents; patents then join on the symbol.
with reading_rules as (
    select
        r.symbol,
        r.reading_kind,
        r.reading,
        p.rule_id,
        bool_or(p.pattern_kind = 'include') as included,
        bool_or(p.pattern_kind = 'exclude') as excluded
    from {{ ref('int_ipc_symbol_readings') }} as r
    join {{ ref('int_strategic_emerging_patterns') }} as p
      on p.subclass = r.subclass and {{ ipc_covers('p', 'r') }}
    group by all
)

select
    symbol,
    rule_id,
    bool_or(reading_kind = 'as_classified') as taken_as_classified,
    list_sort(list_distinct(list(reading) filter (where reading_kind <> 'as_classified'))) as later_edition_readings
from reading_rules
where included and not excluded
group by symbol, rule_id
