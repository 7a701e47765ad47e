-- The months the warehouse reports on: from the earliest dated record to the latest month with data
-- (the newest export's as-of date), never past the current month.
with dates as (
    select min(least(application_date, grant_date)) as first_date, max(file_as_of) as last_date from {{ ref('stg_patents') }}
    union all select min(least(application_date, reg_date)), max(file_as_of) from {{ ref('stg_trademarks') }}
    union all select min(filing_date), max(file_as_of) from {{ ref('stg_overseas_filings') }}
    union all select min(issue_date), max(file_as_of) from {{ ref('stg_hightech') }}
    union all select min(make_date(year, 1, 1)), max(file_as_of) from {{ ref('stg_srdi') }}
    union all select min(make_date(year, 1, 1)), max(file_as_of) from {{ ref('stg_ip_advantage') }}
    union all select min(registration_date), max(file_as_of) from {{ ref('stg_pledges') }}
)

select
    last_day(min(first_date)) as first_period,
    least(last_day(max(last_date)), last_day(current_date)) as last_period
from dates
