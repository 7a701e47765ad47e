-- Every name an enterprise with a credit code is known by: its current and former names (曾用名) on
-- the enterprise roster, its names on the designation rosters, and the names written beside the
-- code on patents (first patentee), trademarks and overseas filings (a firm renamed after filing
-- keeps its old name there). Keyed by the normalised name (int_text_keys). A key shared by two
-- credit codes is ambiguous: it matches neither and goes to the review list.
with coded as (
    select uscc, enterprise as name, 'current' as name_kind from {{ ref('stg_enterprises') }}
    union all
    select uscc, unnest(former_names), 'former' from {{ ref('stg_enterprises') }}
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_hightech') }} where uscc is not null
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_srdi') }} where uscc is not null
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_ip_advantage') }} where uscc is not null
    union all
    select patentee_uscc, first_patentee, 'record' from {{ ref('stg_patents') }} where patentee_uscc is not null
    union all
    select registrant_uscc, registrant, 'record' from {{ ref('stg_trademarks') }} where registrant_uscc is not null
    union all
    select applicant_uscc, applicant, 'record' from {{ ref('stg_overseas_filings') }} where applicant_uscc is not null
),

keyed as (
    select distinct k.norm as name_key, c.uscc, c.name_kind
    from coded as c
    join {{ ref('int_text_keys') }} as k on k.text_kind = 'name' and k.text = c.name
    where k.norm is not null
)

select
    name_key,
    uscc,
    -- current < former < record < roster alphabetically is not meaningful; keep the strongest kind
    case
        when bool_or(name_kind = 'current') then 'current'
        when bool_or(name_kind = 'roster') then 'roster'
        when bool_or(name_kind = 'former') then 'former'
        else 'record'
    end as name_kind,
    count(*) over (partition by name_key) > 1 as is_ambiguous
from keyed
group by name_key, uscc
