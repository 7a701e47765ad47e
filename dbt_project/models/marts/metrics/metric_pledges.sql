-- pledge_amount (万元) and pledge_count: pledge registrations dated in the year to date, each counted
-- once however many patents it covers (released pledges still count), for the pledgor's unit.
with registrations as (
    select a.region_code, 'ALL' as industry_code, p.registration_date as event_date, p.amount_wan
    from {{ ref('stg_pledges') }} as p
    join {{ ref('int_pledge_attribution') }} as a using (registration_no)
),

amount as {{ ytd_by_period('registrations', 'coalesce(amount_wan, 0)') }},
counted as {{ ytd_by_period('registrations') }}

{{ as_metric('amount', 'pledge_amount') }}
union all
{{ as_metric('counted', 'pledge_count') }}
