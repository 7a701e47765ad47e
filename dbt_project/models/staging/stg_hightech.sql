-- One row per high-tech enterprise certificate (certificate_no); valid hightech_valid_years from issue.
-- A list published without 证书编号 (序号, 企业名称, 所属地区; its year from the title or file name)
-- is keyed by enterprise and year instead: its certificate_no reads 名单<year>:<enterprise>, never a
-- made-up certificate number, and its issue date is 1 January of that year (as for a certificate
-- without 发证日期, whose year is the certificate's).
with latest as (
    {{ latest_by_key('hightech', "coalesce(certificate_no, '名单' || year || ':' || enterprise)") }}
)

select
    coalesce(certificate_no, '名单' || year || ':' || enterprise) as certificate_no,
    enterprise,
    uscc,
    coalesce(issue_date, make_date(cast(substr(certificate_no, 3, 4) as integer), 1, 1), make_date(year, 1, 1)) as issue_date,
    issue_date is null as issue_date_from_certificate_year,
    certificate_no is null as from_published_list,
    batch,
    area,
    _source_file as source_file,
    _file_as_of as file_as_of
from latest
