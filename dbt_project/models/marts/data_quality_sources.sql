-- One row per source for 数据质量: the files on record, the newest export in use (by the as-of date
-- in its file name, not by when it was loaded), and the rows in use after supersession (a later
-- export replaces an earlier one record by record, so this is the staging model's row count, not the
-- sum of every file's loaded rows).
with files as (
    select *
    from {{ source('audit', 'load_log') }}
    qualify row_number() over (partition by source, file_name order by loaded_at desc) = 1
),

newest as (
    select source, file_name as newest_file, as_of_date as newest_as_of
    from files
    where status <> 'rejected'
    qualify row_number() over (
        partition by source order by as_of_date desc nulls last, loaded_at desc, file_name desc
    ) = 1
),

per_source as (
    select
        source,
        max(loaded_at) as last_loaded_at,
        count(*) as files,
        count(*) filter (where status = 'rejected') as rejected_files,
        coalesce(sum(rows_loaded) filter (where status <> 'rejected'), 0) as rows_loaded_all_files
    from files
    group by source
),

in_use as (
    select 'patents' as source, count(*) as rows_in_use from {{ ref('stg_patents') }}
    union all select 'trademarks', count(*) from {{ ref('stg_trademarks') }}
    union all select 'overseas_filings', count(*) from {{ ref('stg_overseas_filings') }}
    union all select 'hightech', count(*) from {{ ref('stg_hightech') }}
    union all select 'srdi', count(*) from {{ ref('stg_srdi') }}
    union all select 'ip_advantage', count(*) from {{ ref('stg_ip_advantage') }}
    union all select 'enterprises', count(*) from {{ ref('stg_enterprises') }}
    union all select 'population', count(*) from {{ ref('stg_population') }}
    union all select 'pledges', count(*) from {{ ref('stg_pledges') }}
    union all select 'awards', count(*) from {{ ref('stg_awards') }}
)

select
    per_source.source,
    per_source.last_loaded_at,
    per_source.files,
    per_source.rejected_files,
    per_source.rows_loaded_all_files,
    coalesce(in_use.rows_in_use, 0) as rows_in_use,
    newest.newest_file,
    newest.newest_as_of
from per_source
left join in_use using (source)
left join newest using (source)
order by per_source.source
