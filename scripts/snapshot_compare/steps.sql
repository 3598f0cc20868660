-- step 1: the first snapshot
create table people (id integer, name text, bu varchar(10), updated_at timestamp);
insert into people values
  (1, 'Ana', 'Sales', '2024-01-01 10:00'),
  (2, 'Bob', 'Ops', '2024-01-01 10:00'),
  (3, 'Cid', 'Ops', '2024-01-01 10:00');
-- step 2: an update, a delete, an insert, a change without a new updated_at
update people set bu = 'Tech', updated_at = '2024-02-01 09:00' where id = 1;
delete from people where id = 2;
insert into people values (4, 'Dee', 'Sales', '2024-02-01 09:00');
update people set name = 'Cyd' where id = 3;
-- step 3: a re-insert, a new column, a longer string column
alter table people alter column bu type varchar(40);
insert into people values (2, 'Bob', 'Ops', '2024-03-01 08:00');
alter table people add column commute text;
update people set commute = 'bike' where id in (1, 3);
update people set updated_at = '2024-03-01 08:00' where id = 3;
-- step 4: a delete, and a key column changing back (a new composite key)
delete from people where id = 4;
update people set bu = 'Sales', updated_at = '2024-04-01 07:00' where id = 1;
-- step 5: nothing changes
select 1;
