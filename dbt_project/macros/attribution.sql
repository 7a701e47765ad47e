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
