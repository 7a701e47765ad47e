{#- The attribution cascade shared by every record type: master entity's unit, else the address's
    unit, else the credit code's region digits; a record in the pack without a unit is
    UNATTRIBUTED; one outside the pack is excluded. Expects columns master_region, master_in_pack,
    address_region, address_in_pack, code_region, code_in_pack, no_location. -#}
{% macro attribution_columns() -%}
    case
        when master_region is not null then master_region
        when address_region is not null then address_region
        when code_region is not null then code_region
        when master_in_pack or address_in_pack or code_in_pack or no_location then 'UNATTRIBUTED'
    end as region_code,
    case
        when master_region is not null then 'enterprise_master'
        when address_region is not null then 'address'
        when code_region is not null then 'credit_code'
        when master_in_pack or address_in_pack or code_in_pack then 'in_pack_no_unit'
        when no_location then 'no_location'
        else 'outside_pack'
    end as attribution_method,
    not coalesce(master_region is not null or address_region is not null or code_region is not null
                 or master_in_pack or address_in_pack or code_in_pack or no_location, false) as is_excluded
{%- endmacro %}

{#- Where a record's holder is (a patent's first patentee, a trademark's registrant, an overseas
    filing's first applicant), for int_patent_attribution / int_trademark_attribution /
    int_overseas_attribution (the newest holder) and the unit segments (earlier holders): one row per
    row of `holders` (the `keys`, enterprise_id, holder_uscc, match_method, patentee_uscc (the
    record's own code, or null), address, plus `keep` columns), with the columns
    attribution_columns() reads. The master entity's unit is not used when the name is
    ambiguous (several firms bear it, so the entity says nothing). -#}
{% macro locate_holders(holders, keys=['application_no'], keep=[]) -%}
    (
        select
            {%- for c in keys + keep %}
            h.{{ c }},
            {%- endfor %}
            h.enterprise_id,
            h.match_method,
            e.region_method as master_region_method,
            case when e.region_code <> 'UNATTRIBUTED' then e.region_code end as master_region,
            e.in_pack as master_in_pack,
            a.region_code as address_region,
            a.in_pack as address_in_pack,
            c.region_code as code_region,
            c.in_pack as code_in_pack,
            not coalesce(a.is_informative, false) and coalesce(h.patentee_uscc, h.holder_uscc) is null
                and not coalesce(e.has_location, false) as no_location
        from {{ holders }} as h
        left join {{ ref('int_enterprise_master') }} as e
          on e.enterprise_id = h.enterprise_id and h.match_method <> 'ambiguous'
        left join {{ ref('int_address_units') }} as a on a.address = h.address
        left join {{ ref('int_credit_code_units') }} as c on c.uscc = coalesce(h.patentee_uscc, h.holder_uscc)
    )
{%- endmacro %}

{#- The unit spans of records whose unit changes over time (attribution_as_of = period), from
    `holder_spans` (record_key, span_from, span_until: one row per holder of the record, null bounds
    open, with region_code, attribution_method, is_excluded, enterprise_id, master_region_method as
    attribution_columns() and locate_holders() give them). A holder whose unit is its roster's
    (enterprise_master by roster_area) follows int_enterprise_unit_history: its span is split where a
    roster moved the firm. Spans of the same unit are merged (a transfer between two firms of one unit
    is no change); only records with more than one span are kept. Columns: record_key, region_code
    (null: outside the pack), unit_from, unit_until, entered_by / left_by ('transfer' where the holder
    changed, 'reattribution' where the roster moved the firm; null at the open ends). -#}
{% macro unit_spans(holder_spans) -%}
    (
        with history as (
            select * from {{ ref('int_enterprise_unit_history') }}
        ),

        pieces as (
            select
                s.record_key,
                case when s.is_excluded then null else coalesce(h.region_code, s.region_code) end as region_code,
                greatest(s.span_from, h.unit_from) as piece_from,
                least(s.span_until, h.unit_until) as piece_until,
                case when h.unit_from is not null and (s.span_from is null or h.unit_from > s.span_from)
                     then 'reattribution' else 'transfer' end as start_cause
            from {{ holder_spans }} as s
            left join history as h
              on s.attribution_method = 'enterprise_master' and s.master_region_method = 'roster_area'
             and h.enterprise_id = s.enterprise_id
             and (h.unit_from is null or s.span_until is null or h.unit_from < s.span_until)
             and (h.unit_until is null or s.span_from is null or h.unit_until > s.span_from)
        ),

        islands as (
            select *, sum(starts_island) over (partition by record_key order by piece_from nulls first
                                               rows unbounded preceding) as island
            from (
                select *,
                    case when region_code is not distinct from lag(region_code) over (
                             partition by record_key order by piece_from nulls first) then 0 else 1 end as starts_island
                from pieces
            )
        ),

        spans as (
            select record_key, island, any_value(region_code) as region_code,
                   case when bool_or(piece_from is null) then null else min(piece_from) end as unit_from,
                   case when bool_or(piece_until is null) then null else max(piece_until) end as unit_until,
                   first(start_cause order by piece_from nulls first) as start_cause
            from islands
            group by record_key, island
        ),

        changing as (
            select record_key from spans group by record_key having count(*) > 1
        )

        select
            s.record_key,
            s.region_code,
            s.unit_from,
            s.unit_until,
            case when s.unit_from is not null then s.start_cause end as entered_by,
            lead(s.start_cause) over (partition by s.record_key order by s.unit_from nulls first) as left_by
        from spans as s
        semi join changing as c on c.record_key = s.record_key
        where {{ attribution_follows_period() }}
    )
{%- endmacro %}
