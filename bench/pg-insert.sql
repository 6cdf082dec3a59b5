-- PostgreSQL baseline of scripts/bench-load (pgbench -n -f bench/pg-insert.sql
-- -D sid=SURVEY_ID -D vid=VERSION_ID): one durable single-row INSERT into the
-- service's own `responses` table, one transaction (autocommit) each.
-- The sequence bench_load_seq keeps reference and submission_id unique.
INSERT INTO responses (reference, submission_id, survey_id, survey_version_id,
  other_organisation_name, other_organisation_sector, channel, submitted_at)
VALUES ('P' || nextval('bench_load_seq'), 'pg-baseline-' || currval('bench_load_seq'),
  :sid, :vid, 'Port of Tyne', 'port', 'web', now());
