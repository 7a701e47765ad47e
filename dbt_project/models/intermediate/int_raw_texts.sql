-- Every distinct name, address and place text (所属县区) the sources hold, as staging has it, for
-- int_text_keys to normalise once per distinct text (never per source row).
with names as (
    select enterprise as text from {{ ref('stg_enterprises') }}
    union all select unnest(former_names) from {{ ref('stg_enterprises') }}
    union all select enterprise from {{ ref('stg_hightech') }}
    union all select enterprise from {{ ref('stg_srdi') }}
    union all select enterprise from {{ ref('stg_ip_advantage') }}
    union all select unnest(patentee_list) from {{ ref('stg_patents') }}
    union all select unnest(patentee_list) from {{ ref('stg_patent_holder_versions') }} where not is_newest
    union all select registrant from {{ ref('stg_trademarks') }}
    union all select registrant from {{ ref('stg_trademark_registrant_versions') }} where not is_newest
    union all select applicant from {{ ref('stg_overseas_filings') }}
    union all select pledgor from {{ ref('stg_pledges') }}
),

addresses as (
    select address as text from {{ ref('stg_patents') }}
    union all select address from {{ ref('stg_patent_holder_versions') }} where not is_newest
    union all select address from {{ ref('stg_trademarks') }}
    union all select address from {{ ref('stg_trademark_registrant_versions') }} where not is_newest
    union all select address from {{ ref('stg_enterprises') }}
    union all select address from {{ ref('stg_overseas_filings') }}
),

places as (
    select area as text from {{ ref('stg_enterprises') }}
    union all select area from {{ ref('stg_hightech') }}
    union all select area from {{ ref('stg_srdi') }}
    union all select area from {{ ref('stg_ip_advantage') }}
)

select distinct 'name' as text_kind, text from names where text is not null
union all
select distinct 'address', text from addresses where text is not null
union all
select distinct 'place', text from places where text is not null
