-- newsclean: DuckDB views over the dataset, for analysts.
--
--   duckdb -cmd ".read sql/views.sql"                  dataset in ./output (the default)
--   duckdb -cmd "set variable newsclean_output = '/data/news'" -cmd ".read sql/views.sql"
--   Python:  con.execute("set variable newsclean_output = '/data/news'")
--            con.execute(open("sql/views.sql").read())
--
-- Views (the columns are in the README's data dictionary; crawl_date comes from the folders):
--   articles         every article row stored (an article whose text changed has several)
--   latest_articles  the latest version of each article: one row per canonical_url
--   rejects          every URL that did not become an article, with its reason
--   runs             one row per crawl run
-- Each table needs at least one file; a new column of a later schema version is null in older
-- files (union_by_name). Select the columns you need: DuckDB then reads only those.

set variable newsclean_output = coalesce(getvariable('newsclean_output'), 'output');

create or replace view articles as
select * from read_parquet(getvariable('newsclean_output') || '/articles/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);

create or replace view latest_articles as
select * from articles
qualify row_number() over (partition by canonical_url order by fetched_at desc) = 1;

create or replace view rejects as
select * from read_parquet(getvariable('newsclean_output') || '/rejects/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);

create or replace view runs as
select * from read_parquet(getvariable('newsclean_output') || '/runs/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);
