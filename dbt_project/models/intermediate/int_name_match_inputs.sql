-- What the fuzzy matcher (int_name_match_scores) compares:
--   query      a name on a designation roster (high-tech, SRDI, IP advantage) given without a credit
--              code, that no name of a coded enterprise equals exactly (an override still wins
--              over the outcome; matching it anyway keeps the review list's resolved items)
--   candidate  every name of an enterprise with a credit code (enterprise_id = the code), and every
--              organisation name found on patents, trademarks, overseas filings and pledges that is
--              not one of those (an enterprise known by its name only: enterprise_id 'N:' || key)
-- Fuzzy matching is for roster names only: the exports of the IP offices carry exact names. A name
-- resolves the same way wherever it appears, so a roster name matched here is matched everywhere.
with keys as (
    select text, norm as name_key from {{ ref('int_text_keys') }} where text_kind = 'name' and norm is not null
),

roster_names as (
    select enterprise as name from {{ ref('stg_hightech') }} where uscc is null
    union select enterprise from {{ ref('stg_srdi') }} where uscc is null
    union select enterprise from {{ ref('stg_ip_advantage') }} where uscc is null
),

record_names as (
    select unnest(patentee_list) as name from {{ ref('stg_patents') }}
    union select registrant from {{ ref('stg_trademarks') }}
    union select applicant from {{ ref('stg_overseas_filings') }}
    union select pledgor from {{ ref('stg_pledges') }}
),

coded as (select distinct name_key, uscc from {{ ref('int_enterprise_names') }}),

queries as (
    select distinct k.name_key
    from roster_names as r
    join keys as k on k.text = r.name
    where k.name_key not in (select name_key from coded)
),

name_only as (
    select distinct k.name_key
    from record_names as r
    join keys as k on k.text = r.name
    join {{ ref('int_name_forms') }} as f on f.name_key = k.name_key
    where not f.is_person and k.name_key not in (select name_key from coded)
)

select 'query' as role, name_key, cast(null as varchar) as enterprise_id from queries
union all
select 'candidate', name_key, uscc from coded
union all
select 'candidate', name_key, 'N:' || name_key from name_only
