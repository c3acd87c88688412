//! Reading a file's rows on a thread of their own while the import writes the rows before
//! them: decoding, parsing and checking a row needs no database, and on two cores the
//! import's wall time is then the writer's alone.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, sync_channel};

use crate::error::Result;
use crate::io::Row;

/// Rows a message: one channel send per row costs more than the parsing it hands over.
const CHUNK: usize = 256;

/// Chunks the reader may be ahead of the writer. Bounded, so memory stays flat however far
/// the writer falls behind (about a thousand rows in flight).
const CHUNKS_AHEAD: usize = 4;

/// Rows parsed on the reader thread, and how many bytes of the file had been read by the
/// time the last of them was: the progress line then shows where the writer is.
type Chunk = (Vec<Result<Row>>, u64);

/// The rows, in the file's order, as the reader thread sends them.
pub struct ReadAhead {
    rx: Receiver<Chunk>,
    chunk: std::vec::IntoIter<Result<Row>>,
    bytes: Rc<Cell<u64>>,
}

impl ReadAhead {
    /// Bytes of the file read up to the row last handed out (its chunk's end), kept up to
    /// date while the rows are consumed.
    pub fn bytes_read(&self) -> Rc<Cell<u64>> {
        self.bytes.clone()
    }
}

impl Iterator for ReadAhead {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        loop {
            if let Some(row) = self.chunk.next() {
                return Some(row);
            }
            let (rows, bytes) = self.rx.recv().ok()?;
            self.bytes.set(bytes);
            self.chunk = rows.into_iter();
        }
    }
}

/// Runs `consume` on the rows while a second thread reads them from `rows`. A row that
/// failed to read (an I/O or CSV error) is the last one sent, as a serial reader would have
/// stopped there; the reader also stops as soon as `consume` returns and drops the rows.
pub fn read_ahead<I, T>(
    rows: I,
    bytes: impl Fn() -> u64 + Send,
    consume: impl FnOnce(&mut ReadAhead) -> T,
) -> T
where
    I: Iterator<Item = Result<Row>> + Send,
{
    let (tx, rx) = sync_channel::<Chunk>(CHUNKS_AHEAD);
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut rows = rows;
            loop {
                let mut chunk = Vec::with_capacity(CHUNK);
                let mut last = false;
                while chunk.len() < CHUNK {
                    match rows.next() {
                        Some(row) => {
                            last = row.is_err();
                            chunk.push(row);
                            if last {
                                break;
                            }
                        }
                        None => {
                            last = true;
                            break;
                        }
                    }
                }
                // A failed send means the writer is done with the rows: stop reading.
                if (!chunk.is_empty() && tx.send((chunk, bytes())).is_err()) || last {
                    return;
                }
            }
        });
        let mut it = ReadAhead {
            rx,
            chunk: Vec::new().into_iter(),
            bytes: Rc::new(Cell::new(0)),
        };
        consume(&mut it)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::io::ContactRecord;

    fn row(line: u64) -> Result<Row> {
        Ok(Row {
            line,
            record: Ok(ContactRecord {
                name: format!("n{line}"),
                ..Default::default()
            }),
        })
    }

    #[test]
    fn rows_arrive_in_order_and_stop_at_an_error() {
        let rows = (1..=1000u64)
            .map(row)
            .chain(std::iter::once(Err(Error::input("line 1001: bad quote"))))
            .chain((1002..=1100u64).map(row));
        let (lines, err, bytes) = read_ahead(
            rows,
            || 7,
            |it| {
                let mut lines = Vec::new();
                let mut err = None;
                for r in it.by_ref() {
                    match r {
                        Ok(r) => lines.push(r.line),
                        Err(e) => err = Some(e.to_string()),
                    }
                }
                (lines, err, it.bytes_read().get())
            },
        );
        assert_eq!(lines, (1..=1000).collect::<Vec<_>>());
        assert_eq!(err.as_deref(), Some("line 1001: bad quote"));
        assert_eq!(bytes, 7);
    }

    #[test]
    fn the_reader_stops_when_the_writer_gives_up() {
        let read = std::sync::atomic::AtomicU64::new(0);
        let rows = (1..).map(|n| {
            read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            row(n)
        });
        let first = read_ahead(rows, || 0, |it| it.next().map(|r| r.map(|r| r.line).ok()));
        assert_eq!(first, Some(Some(1)));
        // It read at most what fits in the channel, then found the writer gone.
        assert!(read.load(std::sync::atomic::Ordering::Relaxed) < 10 * CHUNK as u64);
    }
}
