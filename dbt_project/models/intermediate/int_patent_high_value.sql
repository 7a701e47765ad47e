-- For each valid-at-some-time invention: from which date it meets each of the five high-value
-- criteria (metrics.md), evaluated so that a criterion, once met, stays met while the patent is
-- valid. NULL = never. high_value_from is the earliest of them.
--   1 strategic emerging: the strategic-emerging table takes it (int_patent_strategic_emerging, static)
--   2 overseas family: a family member outside the excluded offices (static)
--   3 maintained: valid and application_date + hv_maintained_years < period_end (strictly)
--   4 pledge: cumulative pledge amount on the patent >= high_value_pledge_threshold_wan
--   5 award: on an award list by the period's year
{%- set excluded = setting('overseas_excluded_offices').split(',') %}
with inventions as (
    select application_no, application_date, valid_from, valid_until
    from {{ ref('int_patent_validity') }}
    where is_invention and valid_from is not null
),

strategic as (
    select application_no from {{ ref('int_patent_strategic_emerging') }} where is_taken
),

overseas as (
    select application_no
    from {{ ref('stg_patents') }}
    where len(list_filter(family_countries, lambda c: c not in ({% for o in excluded %}'{{ o | trim | upper }}'{% if not loop.last %}, {% endif %}{% endfor %}))) > 0
),

pledge_events as (
    select unnest(application_nos) as application_no, registration_date, amount_wan
    from {{ ref('stg_pledges') }}
    where registration_date is not null and amount_wan is not null
),

pledge_reached as (
    select application_no, min(registration_date) as reached_on
    from (
        select application_no, registration_date,
               sum(amount_wan) over (partition by application_no order by registration_date
                                     rows unbounded preceding) as cumulative_wan
        from pledge_events
    )
    where cumulative_wan >= {{ setting('high_value_pledge_threshold_wan') }}
    group by application_no
),

-- criterion 5 names the China Patent Award (中国专利金奖/银奖/优秀奖) and the national science and
-- technology awards (国家科学技术奖, 国家自然科学奖, 国家技术发明奖, 国家科学技术进步奖);
-- provincial awards (河南省专利奖 …) do not qualify
awarded as (
    select application_no, min(coalesce(make_date(year, 1, 1), date '1900-01-01')) as awarded_from
    from {{ ref('stg_awards') }}
    where award like '%中国专利%' or regexp_matches(award, '^国家.*(科学|技术).*奖')
    group by application_no
),

flags as (
    select
        i.application_no,
        i.valid_from,
        i.valid_until,
        case when s.application_no is not null then i.valid_from end as hv_strategic_emerging_from,
        case when o.application_no is not null then i.valid_from end as hv_overseas_family_from,
        greatest(i.valid_from, cast(i.application_date + to_years({{ setting('hv_maintained_years') }}) + interval 1 day as date)) as hv_maintained_from,
        case when p.reached_on is not null then greatest(i.valid_from, p.reached_on) end as hv_pledge_from,
        case when a.awarded_from is not null then greatest(i.valid_from, a.awarded_from) end as hv_award_from
    from inventions as i
    left join strategic as s using (application_no)
    left join overseas as o using (application_no)
    left join pledge_reached as p using (application_no)
    left join awarded as a using (application_no)
)

select
    *,
    least(hv_strategic_emerging_from, hv_overseas_family_from, hv_maintained_from, hv_pledge_from, hv_award_from) as high_value_from
from flags
