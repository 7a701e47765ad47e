-- Every name an enterprise of the master is known by (current, former, as listed on a roster),
-- keyed for matching. A name key shared by two credit codes is ambiguous and matches neither.
with names as (
    select uscc, enterprise as name, 'current' as name_kind from {{ ref('int_enterprise_master') }}
    union all
    select uscc, unnest(former_names), 'former' from {{ ref('stg_enterprises') }}
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_enterprises') }}
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_hightech') }} where uscc is not null
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_srdi') }} where uscc is not null
    union all
    select uscc, enterprise, 'roster' from {{ ref('stg_ip_advantage') }} where uscc is not null
),

keyed as (
    select distinct {{ name_key('name') }} as name_key, uscc, name_kind
    from names
    where name is not null
)

select
    name_key,
    uscc,
    min(name_kind) as name_kind,
    count(distinct uscc) over (partition by name_key) > 1 as is_ambiguous
from keyed
group by name_key, uscc
