-- Every table's rows, in the same columns and order on both engines (scripts/pg-schema-diff.sh).
-- Generated from the SQLite book's columns (PRAGMA table_info), in their order.
SELECT '## meta';
SELECT key, value FROM meta ORDER BY key;
SELECT '## companies';
SELECT id, name, name_key, created_at, updated_at, version FROM companies ORDER BY id;
SELECT '## contacts';
SELECT id, name, name_key, company_id, title, emails, phones, tags, source, status, temperature, cadence_days, archived, linkedin_url, connected_on, last_contacted_at, created_at, updated_at, version, open_follow_ups, referred_by FROM contacts ORDER BY id;
SELECT '## contact_keys';
SELECT contact_id, kind, key FROM contact_keys ORDER BY contact_id, kind, key;
SELECT '## deals';
SELECT id, title, contact_id, value_cents, currency, stage, status, lost_reason, expected_close, closed_at, stage_entered_at, created_at, updated_at, version, pipeline FROM deals ORDER BY id;
SELECT '## deal_events';
SELECT id, deal_id, event, stage, at, version, ended_at FROM deal_events ORDER BY id;
SELECT '## follow_ups';
SELECT id, contact_id, deal_id, kind, text, due_date, due_at, every, status, done_at, created_at, updated_at, version, contact_name, company_name, deal_title, deal_value_cents, deal_currency, seq_id, seq_name, seq_step, seq_steps FROM follow_ups ORDER BY id;
SELECT '## notes';
SELECT id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version FROM notes ORDER BY id;
SELECT '## sequence_enrollments';
SELECT id, contact_id, deal_id, name, steps, stop_on, step, status, stop_reason, started_at, ended_at, updated_at, version FROM sequence_enrollments ORDER BY id;
SELECT '## undo_log';
SELECT id, at, kind, summary, undone FROM undo_log ORDER BY id;
SELECT '## undo_rows';
SELECT undo_id, seq, tbl, row_id, before, after_version FROM undo_rows ORDER BY undo_id, seq;
SELECT '## undo_ranges';
SELECT undo_id, tbl, above, upto, rows, version_sum FROM undo_ranges ORDER BY undo_id, tbl;
SELECT '## reminders_sent';
SELECT follow_up_id, due_at, via, claimed_at, sent_at FROM reminders_sent ORDER BY follow_up_id, due_at, via;
