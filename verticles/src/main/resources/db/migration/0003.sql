-- 0003: reserved for another branch's migration (issues 10 and 12), so that 0005 applies on branch s11.
-- At merge this file is replaced by that migration, or the numbers are closed up.
SELECT 1;
