-- Who holds each patent (every co-patentee, matched to an enterprise where possible): the basis of
-- enterprise-level metrics and of enterprise profiles (former names included through the match).
select application_no, enterprise_id, uscc, holder_name, position, is_first, match_method
from {{ ref('int_patent_holders') }}
