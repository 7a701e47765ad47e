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

{#- Where a patent's first patentee is, for int_patent_attribution (the newest holder) and
    int_patent_unit_segments (earlier holders): one row per row of `holders` (application_no,
    enterprise_id, holder_uscc, match_method, patentee_uscc, address, plus `keep` columns), with the
    columns attribution_columns() reads. The master entity's unit is not used when the name is
    ambiguous (several firms bear it, so the entity says nothing). -#}
{% macro locate_patent_holders(holders, keep=[]) -%}
    (
        select
            h.application_no,
            {%- for c in keep %}
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
