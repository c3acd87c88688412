-- Indexes for `report`: each figure is read from an index alone, without touching the rows.

-- Notes per kind and call outcome in a range of time: one count per (kind, outcome) per week.
CREATE INDEX notes_kind_created ON notes(kind, outcome, created_at);

-- Contacts per lead source and status.
CREATE INDEX contacts_source ON contacts(source, status);

-- Stage history: the deals with an event in the period, then each one's events in order
-- (id breaks ties of the same second) with what the stays need, so the window reads no rows.
CREATE INDEX deal_events_at ON deal_events(at, deal_id);
DROP INDEX deal_events_deal;
CREATE INDEX deal_events_deal ON deal_events(deal_id, at, id, event, stage);

-- Open deals by currency, stage and expected close with their value: pipeline and forecast.
CREATE INDEX deals_open_value ON deals(status, currency, stage, expected_close, value_cents);
