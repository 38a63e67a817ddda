-- A speedtest-like workload: bulk inserts in a transaction, indexes, joins,
-- aggregates, window functions, CTEs, updates and deletes, a rolled-back transaction,
-- text and JSON functions and printf of floats, on a database file (so the journal,
-- locking, fsync and truncation paths run), ending with an integrity check.
PRAGMA page_size = 4096;
PRAGMA cache_size = 200;
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = FULL;

CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER, c TEXT, d REAL);
CREATE TABLE t2(k INTEGER, label TEXT, weight REAL);

BEGIN;
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 6000)
INSERT INTO t1(a, b, c, d)
  SELECT x, (x * 2654435761) % 100003,
         printf('row-%05d-%s', x, substr('abcdefghijklmnopqrstuvwxyz', 1 + x % 26, 1 + x % 7)),
         x / 7.0 + (x % 13) * 0.125
  FROM n;
WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 99)
INSERT INTO t2 SELECT x, 'group ' || (x % 10), x * 1.5 FROM n;
COMMIT;

SELECT count(*), sum(b), min(c), max(c), printf('%.6f', avg(d)) FROM t1;
CREATE INDEX t1b ON t1(b);
CREATE INDEX t1c ON t1(c);
CREATE INDEX t2k ON t2(k);

SELECT a, b, c FROM t1 WHERE b BETWEEN 5000 AND 5600 ORDER BY b LIMIT 8;
SELECT count(*) FROM t1 WHERE c LIKE 'row-01%';
SELECT count(*) FROM t1 WHERE c GLOB '*-[a-c]*';
SELECT t2.label, count(*), printf('%.4f', sum(t1.d * t2.weight)), max(t1.b)
  FROM t1 JOIN t2 ON t1.a % 100 = t2.k
  GROUP BY t2.label ORDER BY t2.label;
SELECT a % 10 AS bucket, count(*), total(d), printf('%.3e', stdev) FROM (
  SELECT a, d, (d - (SELECT avg(d) FROM t1)) * (d - (SELECT avg(d) FROM t1)) AS stdev FROM t1
) GROUP BY bucket HAVING count(*) > 10 ORDER BY bucket;

SELECT a, b, row_number() OVER (ORDER BY b DESC), sum(b) OVER (ORDER BY a ROWS 2 PRECEDING)
  FROM t1 WHERE a <= 12 ORDER BY a;
SELECT label, weight, rank() OVER (PARTITION BY label ORDER BY weight DESC) AS r
  FROM t2 WHERE k < 30 ORDER BY label, r;

WITH RECURSIVE fib(i, x, y) AS (SELECT 1, 0, 1 UNION ALL SELECT i + 1, y, x + y FROM fib WHERE i < 80)
SELECT i, x FROM fib WHERE i % 20 = 0;

BEGIN;
UPDATE t1 SET d = d * 2, c = upper(c) WHERE a % 3 = 0;
DELETE FROM t1 WHERE b % 5 = 0;
SELECT count(*), printf('%.5f', sum(d)) FROM t1;
ROLLBACK;
SELECT count(*), printf('%.5f', sum(d)) FROM t1;

UPDATE t1 SET d = round(d * 1.1, 3) WHERE a % 4 = 1;
DELETE FROM t1 WHERE a > 5500;
INSERT INTO t1(b, c, d) VALUES (1, 'late', 1e300), (2, NULL, -0.0), (3, 'x''quote', 1.0 / 3);
SELECT a, b, quote(c), d, typeof(d) FROM t1 WHERE a > 5495 ORDER BY a;

SELECT printf('%d|%5.2f|%-8s|%x|%e|%g|%g', 42, 3.14159, 'ab', 255, 1234.5678, 1e-5, 123456789.0);
SELECT length('héllo'), upper('abc'), lower('ÀBC'), replace('aaa', 'a', 'bb'), hex('AZ'),
       instr('hello', 'll'), trim('  x  '), substr('abcdef', -3, 2), char(65, 66), unicode('é');
SELECT 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 1 << 62, abs(-9223372036854775807), round(2.5), round(-2.5),
       cast('12abc' AS INTEGER), cast(3.99 AS INTEGER), 0.1 + 0.2, 1e308 * 10;
SELECT json_object('a', 1, 'b', json_array(1, 2.5, 'x')), json_extract('{"k":[10,20]}', '$.k[1]');
SELECT group_concat(k, ',') FROM (SELECT k FROM t2 WHERE k % 17 = 0 ORDER BY k);
SELECT count(DISTINCT b % 97), max(length(c)), sum(a * b) % 1000000007 FROM t1;
SELECT * FROM t1 WHERE a = (SELECT max(a) FROM t1 WHERE b < 100);
SELECT nosuchcolumn FROM t1;
CREATE TABLE t1(x);
PRAGMA integrity_check;
SELECT count(*) FROM sqlite_schema;
VACUUM;
PRAGMA integrity_check;
