-- Every designation an enterprise holds, as a validity window [valid_from, valid_until):
--   hightech      certificate issue date + hightech_valid_years
--   srdi_sme / little_giant   a 公布 or 复核通过 row starts srdi_valid_years of validity from 1 January
--                 of its year (or its own 有效期); a 公示 row is never a designation; a 撤销 row ends every
--                 designation of that kind that started on or before 1 January of its year, on that day
--   ip_advantage  designated on 1 January of its year; counted cumulatively (no end)
-- with `is_first_of_kind` marking the enterprise's first designation of that kind, and
-- `counts_as_new` whether that first designation counts as new (published, not a re-review).
with hightech as (
    select r.enterprise_id, 'hightech' as kind, 'hightech' as level, h.certificate_no as source_key,
           h.issue_date as valid_from,
           cast(h.issue_date + to_years({{ setting('hightech_valid_years') }}) as date) as valid_until,
           'published' as stage
    from {{ ref('stg_hightech') }} as h
    join {{ ref('int_roster_enterprises') }} as r on r.roster = 'hightech' and r.roster_key = h.certificate_no
),

srdi_rows as (
    select r.enterprise_id,
           case s.level when 'provincial_srdi_sme' then 'srdi_sme' else 'little_giant' end as kind,
           s.level, r.roster_key as source_key, s.stage, s.year,
           coalesce(s.valid_from, make_date(s.year, 1, 1)) as valid_from,
           coalesce(cast(s.valid_to + interval 1 day as date),
                    make_date(s.year + {{ setting('srdi_valid_years') }}, 1, 1)) as valid_until
    from {{ ref('stg_srdi') }} as s
    join {{ ref('int_roster_enterprises') }} as r
      on r.roster = 'srdi' and r.roster_key = s.enterprise_key || '|' || s.level || '|' || s.year || '|' || s.stage
),

revocations as (
    select enterprise_id, kind, make_date(year, 1, 1) as revoked_on from srdi_rows where stage = 'revoked'
),

srdi as (
    select
        d.enterprise_id, d.kind, d.level, d.source_key, d.valid_from,
        least(d.valid_until, (select min(r.revoked_on) from revocations as r
                              where r.enterprise_id = d.enterprise_id and r.kind = d.kind
                                and d.valid_from <= r.revoked_on)) as valid_until,
        d.stage
    from srdi_rows as d
    where d.stage in ('published', 're_reviewed')
),

ip_advantage as (
    select r.enterprise_id,
           case when a.level = 'municipal_cultivation' then 'ip_advantage_cultivation' else 'ip_advantage' end as kind,
           a.level, r.roster_key as source_key, make_date(a.year, 1, 1) as valid_from,
           cast(null as date) as valid_until, 'published' as stage
    from {{ ref('stg_ip_advantage') }} as a
    join {{ ref('int_roster_enterprises') }} as r
      on r.roster = 'ip_advantage' and r.roster_key = a.enterprise_key || '|' || a.level || '|' || a.year
),

all_designations as (
    select * from hightech
    union all select * from srdi
    union all select * from ip_advantage
)

select
    *,
    -- "new" = the enterprise's first designation of that kind (the cultivation tier shares the
    -- ip_advantage kind for newness: promotion from 培育 to 优势 is not new again)
    row_number() over (
        partition by enterprise_id, case when kind like 'ip_advantage%' then 'ip_advantage' else kind end
        order by valid_from, case stage when 'published' then 0 else 1 end, source_key
    ) = 1 as is_first_of_kind
from all_designations
