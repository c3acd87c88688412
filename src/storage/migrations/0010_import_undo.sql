-- An import is undone whole. The rows it created are recorded as one id range a table, with
-- their count and the sum of their versions when it was committed (any later change to one
-- of them moves the sum, and undo refuses); the rows it merged into keep their images in
-- undo_rows like any change. A 100k-row import writes a handful of rows here, not 100k.
CREATE TABLE undo_ranges (
  undo_id     INTEGER NOT NULL REFERENCES undo_log(id) ON DELETE CASCADE,
  tbl         TEXT NOT NULL,
  above       INTEGER NOT NULL,   -- the created ids are above this one
  upto        INTEGER NOT NULL,   -- and up to this one
  rows        INTEGER NOT NULL,
  version_sum INTEGER NOT NULL,
  PRIMARY KEY (undo_id, tbl)
) WITHOUT ROWID;
