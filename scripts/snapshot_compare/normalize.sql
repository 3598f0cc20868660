-- One line per row of __TABLE__, columns sorted by name, with what depends on the time of a run
-- replaced: a timestamp later than 2025 (the source's updated_at values are in 2024) becomes
-- run1, run2, ... by order, and an md5 hash in a row that starts at such a time becomes run-md5.
with rows as (
  select row_number() over () as n, to_jsonb(t) as j from __TABLE__ t
),
times as (
  select v, 'run' || dense_rank() over (order by v) as label
  from (select distinct value #>> '{}' as v from rows, jsonb_each(j)
        where jsonb_typeof(value) = 'string' and value #>> '{}' ~ '^20(2[5-9]|[3-8][0-9])-') s
),
cells as (
  select r.n, e.key, coalesce(
           t.label,
           case when e.value #>> '{}' ~ '^[0-9a-f]{32}$'
                 and exists (select 1 from jsonb_each(r.j) f join times ft on ft.v = f.value #>> '{}'
                             where f.key like '%valid_from')
                then 'run-md5' end,
           coalesce(e.value #>> '{}', 'null')) as shown
  from rows r, jsonb_each(r.j) e left join times t on t.v = e.value #>> '{}'
)
select string_agg(key || '=' || shown, ' ' order by key) as line
from cells group by n order by 1;
