-- Every place a source names an entity, one row per record and role, with the entity it resolves
-- to: the record's own credit code when it carries one (credit_code), else the name's resolution
-- (int_name_resolution: override, exact_name, fuzzy, ambiguous, person, name_only).
-- Patents: one row per patentee (co-patentees split); the record's credit code and address belong
-- to the first patentee. patent_versions: the patentees of each earlier version of a patent
-- (stg_patent_holder_versions, the runs before the newest), record_key application_no || '|' ||
-- run_no; trademark_versions likewise for earlier registrants (reg_no || '|' || nice_class || '|' ||
-- run_no). The other columns are the evidence the enterprise master weighs.
with rows as (
    select 'enterprises' as source,
           uscc || '|' || coalesce(cast(above_scale_year as varchar), '-') as record_key, 1 as position,
           enterprise as name, uscc as record_uscc, area, address, above_scale_year as roster_year,
           1 as source_rank, cast(null as date) as record_date, file_as_of, industry_code as gb_industry_code
    from {{ ref('stg_enterprises') }}
    union all
    select 'hightech', certificate_no, 1, enterprise, uscc, area, null, year(issue_date), 2, issue_date, file_as_of, null
    from {{ ref('stg_hightech') }}
    union all
    select 'srdi', enterprise_key || '|' || level || '|' || year || '|' || stage, 1, enterprise, uscc, area, null,
           year, 3, null, file_as_of, null
    from {{ ref('stg_srdi') }}
    union all
    select 'ip_advantage', enterprise_key || '|' || level || '|' || year, 1, enterprise, uscc, area, null,
           year, 4, null, file_as_of, null
    from {{ ref('stg_ip_advantage') }}
    union all
    select 'patents', application_no, position, holder_name,
           case when position = 1 then patentee_uscc end, null, case when position = 1 then address end,
           null, 9, application_date, file_as_of, null
    from (
        select application_no, patentee_uscc, address, application_date, file_as_of,
               unnest(patentee_list) as holder_name, unnest(range(1, len(patentee_list) + 1)) as position
        from {{ ref('stg_patents') }}
    )
    union all
    select 'patent_versions', application_no || '|' || cast(run_no as varchar), position, holder_name,
           case when position = 1 then patentee_uscc end, null, case when position = 1 then address end,
           null, 9, application_date, file_as_of, null
    from (
        select v.application_no, v.run_no, v.patentee_uscc, v.address, p.application_date, v.file_as_of,
               unnest(v.patentee_list) as holder_name, unnest(range(1, len(v.patentee_list) + 1)) as position
        from {{ ref('stg_patent_holder_versions') }} as v
        left join {{ ref('stg_patents') }} as p using (application_no)
        where not v.is_newest
    )
    union all
    select 'trademark_versions', v.reg_no || '|' || v.nice_class || '|' || cast(v.run_no as varchar), 1, v.registrant,
           v.registrant_uscc, null, v.address, null, 9, coalesce(t.reg_date, t.application_date), v.file_as_of, null
    from {{ ref('stg_trademark_registrant_versions') }} as v
    left join {{ ref('stg_trademarks') }} as t on t.reg_no = v.reg_no and t.nice_class = v.nice_class
    where not v.is_newest
    union all
    select 'trademarks', reg_no || '|' || nice_class, 1, registrant, registrant_uscc, null, address, null, 9,
           coalesce(reg_date, application_date), file_as_of, null
    from {{ ref('stg_trademarks') }}
    union all
    select 'overseas_filings', filing_no, 1, applicant, applicant_uscc, null, address, null, 9, filing_date,
           file_as_of, null
    from {{ ref('stg_overseas_filings') }}
    union all
    select 'pledges', registration_no, 1, pledgor, null, null, null, null, 9, registration_date, file_as_of, null
    from {{ ref('stg_pledges') }}
)

select
    r.source,
    r.record_key,
    r.position,
    r.name,
    k.norm as name_key,
    coalesce(r.record_uscc, n.enterprise_id) as enterprise_id,
    coalesce(r.record_uscc, n.uscc) as uscc,
    case when r.record_uscc is not null then 'credit_code' when n.name_key is not null then n.match_method
         else 'no_name' end as match_method,
    case when r.record_uscc is not null then 100.0 else n.match_score end as match_score,
    r.record_uscc is null and coalesce(n.match_method = 'person', false) as is_person,
    r.source in ('enterprises', 'hightech', 'srdi', 'ip_advantage') as is_roster,
    r.area,
    r.address,
    r.roster_year,
    r.source_rank,
    r.record_date,
    r.file_as_of,
    r.gb_industry_code
from rows as r
left join {{ ref('int_text_keys') }} as k on k.text_kind = 'name' and k.text = r.name
left join {{ ref('int_name_resolution') }} as n on n.name_key = k.norm
