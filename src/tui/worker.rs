//! Search as you type on a worker thread with its own connection to the same book, so a
//! query over millions of notes never holds up a key. Queries carry a number; the worker
//! skips to the newest one waiting, and the popup drops any answer older than what it shows.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use crate::storage::Db;
use crate::storage::search::{self, Hit};

pub type Answer = (u64, Result<Vec<Hit>, String>);

pub struct SearchWorker {
    tx: Option<Sender<(u64, String, usize)>>,
    rx: Receiver<Answer>,
    handle: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SearchWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchWorker")
    }
}

impl SearchWorker {
    /// Starts the thread; it opens the book at `path` itself.
    pub fn spawn(path: PathBuf) -> std::io::Result<Self> {
        let (qtx, qrx) = mpsc::channel::<(u64, String, usize)>();
        let (atx, arx) = mpsc::channel::<Answer>();
        let handle = std::thread::Builder::new()
            .name("search".into())
            .spawn(move || {
                let mut db: Option<Db> = None;
                while let Ok(mut job) = qrx.recv() {
                    // A newer query supersedes the ones still waiting.
                    loop {
                        match qrx.try_recv() {
                            Ok(newer) => job = newer,
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let (seq, q, limit) = job;
                    if db.is_none() {
                        match Db::open(&path) {
                            Ok(d) => db = Some(d),
                            Err(e) => {
                                let _ = atx.send((seq, Err(e.to_string())));
                                continue;
                            }
                        }
                    }
                    let Some(d) = db.as_mut() else { continue };
                    let out = d
                        .read(|c| search::search(c, &q, limit))
                        .map_err(|e| e.to_string());
                    if atx.send((seq, out)).is_err() {
                        return;
                    }
                }
            })?;
        Ok(SearchWorker {
            tx: Some(qtx),
            rx: arx,
            handle: Some(handle),
        })
    }

    pub fn ask(&self, seq: u64, q: &str, limit: usize) -> bool {
        self.tx
            .as_ref()
            .is_some_and(|tx| tx.send((seq, q.to_string(), limit)).is_ok())
    }

    /// Every answer that has arrived, oldest first.
    pub fn answers(&self) -> Vec<Answer> {
        self.rx.try_iter().collect()
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the query it is running; it is not waited
        // for, so closing the popup never blocks a key either.
        self.tx.take();
        drop(self.handle.take());
    }
}
