#!/usr/bin/env bash
# Two writers at once under READ COMMITTED (PostgreSQL's default): one transaction writes a
# row whose trigger derives from another row, and waits before committing; a second writer
# changes that row meanwhile. Then db check's derived checks and the search rows recomputed:
# each line must end in 0. Without the triggers' row locks (see "Two writers at once" in
# src/storage/pg/migrations/0001_book.sql) four of the six did not: open_follow_ups 1,
# last_contacted_at 1, ended_at 2, deal_search 1.
# Usage: tests/pg/races.sh DATABASE   (a database made by the migration, empty; PGHOST etc.)
set -u
db=$1
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
q <<'SQL'
INSERT INTO companies(name, name_key, created_at, updated_at) VALUES ('Acme', 'acme', 't', 't');
INSERT INTO contacts(name, name_key, company_id, created_at, updated_at) VALUES
  ('Ana', 'ana', 1, 't', 't'), ('Bo', 'bo', 1, 't', 't'), ('Di', 'di', NULL, 't', 't');
-- (deals of a contact without a company: a renamed company leaves its deals' search words
-- stale on both engines, see companies_au)
INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at, created_at, updated_at)
  VALUES ('Pilot', 3, 'USD', 'Lead', 't', 't', 't');
INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'stage', 'Lead', '2026-11-01T00:00:00Z');
SQL
race() { # slow-transaction's SQL, then the other writer's SQL
  q -c "BEGIN" -c "$1" -c "SELECT pg_sleep(0.6)" -c "COMMIT" >/dev/null &
  sleep 0.2
  q -c "$2" >/dev/null
  wait
}
# A follow-up added while its contact is renamed: its label.
race "INSERT INTO follow_ups(contact_id, due_date, created_at, updated_at) VALUES (1, '2026-12-01', 't', 't')" \
     "UPDATE contacts SET name = 'Ana Silva' WHERE id = 1"
# Two follow-ups added for one contact at once: its open count.
race "INSERT INTO follow_ups(contact_id, due_date, created_at, updated_at) VALUES (2, '2026-12-01', 't', 't')" \
     "INSERT INTO follow_ups(contact_id, due_date, created_at, updated_at) VALUES (2, '2026-12-02', 't', 't')"
# Two stage changes of one deal at once: the stays' ends.
race "INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'stage', 'Qualified', '2026-11-05T00:00:00Z')" \
     "INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'stage', 'Proposal', '2026-11-09T00:00:00Z')"
# A contact added to a company while the company is renamed: the contact's search words.
race "INSERT INTO contacts(name, name_key, company_id, created_at, updated_at) VALUES ('Cy', 'cy', 1, 't', 't')" \
     "UPDATE companies SET name = 'Acme Inc', name_key = 'acme inc' WHERE id = 1"
# A deal added for a contact while the contact is renamed: the deal's search words.
race "INSERT INTO deals(title, contact_id, currency, stage, stage_entered_at, created_at, updated_at) VALUES ('Renewal', 3, 'USD', 'Lead', 't', 't', 't')" \
     "UPDATE contacts SET name = 'Di Dahl', name_key = 'di dahl' WHERE id = 3"
# Two calls logged for one contact, one removed meanwhile: the last contact.
q -c "INSERT INTO notes(contact_id, kind, body, created_at, updated_at) VALUES (1, 'call', 'a', '2026-11-02T00:00:00Z', 't')" >/dev/null
race "DELETE FROM notes WHERE id = 1" \
     "INSERT INTO notes(contact_id, kind, body, created_at, updated_at) VALUES (1, 'call', 'b', '2026-11-01T00:00:00Z', 't')"
q <<'SQL'
SELECT 'open_follow_ups', count(*) FROM contacts c WHERE c.open_follow_ups !=
  (SELECT count(*) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open');
SELECT 'last_contacted_at', count(*) FROM contacts c WHERE coalesce(c.last_contacted_at, '') !=
  coalesce((SELECT max(created_at) FROM notes n
            WHERE n.contact_id = c.id AND n.kind IN ('call', 'email', 'meeting')), '');
SELECT 'ended_at', count(*) FROM deal_events e WHERE e.ended_at IS DISTINCT FROM
  (SELECT n.at FROM deal_events n WHERE n.deal_id = e.deal_id AND (n.at, n.id) > (e.at, e.id)
   ORDER BY n.at, n.id LIMIT 1);
SELECT 'labels', count(*) FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
  LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deals d ON d.id = f.deal_id
WHERE f.contact_name IS DISTINCT FROM c.name OR f.company_name IS DISTINCT FROM co.name
  OR f.deal_title IS DISTINCT FROM d.title;
SELECT 'contact_search', count(*) FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
  CROSS JOIN salesdesk_contact_index(c.name, co.name, c.title, c.emails, c.phones, c.tags) x
  LEFT JOIN contact_search s ON s.contact_id = c.id
WHERE s.doc IS DISTINCT FROM x.doc OR s.subs IS DISTINCT FROM x.subs;
SELECT 'deal_search', count(*) FROM deals d JOIN contacts c ON c.id = d.contact_id
  LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deal_search s ON s.deal_id = d.id
WHERE s.doc IS DISTINCT FROM salesdesk_deal_doc(d.title, c.name, co.name);
SQL
