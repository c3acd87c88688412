//! Work that can take longer than a frame runs on a worker thread with its own connection to
//! the same book, so it never holds up a key: search as you type over millions of notes,
//! reading the whole book's names for the Contacts filter, Today's lists after a change, and
//! the Reports screen's figures. Jobs carry a number; the worker skips to the newest one
//! waiting, and the screen drops any answer older than what it asked for last.
//!
//! The machinery only: each screen (or popup) names its own job and the function that does
//! it, beside the code that asks for it.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use crate::ops::Db;

/// A job's number and its answer (an error as text: it only goes to the status line).
pub type Reply<A> = (u64, Result<A, String>);

/// One worker thread; `run` does a job on the thread's connection.
pub struct Worker<Q, A> {
    tx: Option<Sender<(u64, Q)>>,
    rx: Receiver<Reply<A>>,
    handle: Option<JoinHandle<()>>,
}

impl<Q, A> std::fmt::Debug for Worker<Q, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Worker")
    }
}

impl<Q: Send + 'static, A: Send + 'static> Worker<Q, A> {
    /// Starts the thread; it opens the book at `path` itself, on its first job.
    pub fn spawn(
        name: &str,
        path: PathBuf,
        run: fn(&mut Db, Q) -> crate::error::Result<A>,
    ) -> std::io::Result<Self> {
        let (qtx, qrx) = mpsc::channel::<(u64, Q)>();
        let (atx, arx) = mpsc::channel::<Reply<A>>();
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut db: Option<Db> = None;
                while let Ok(mut job) = qrx.recv() {
                    // A newer job supersedes the ones still waiting.
                    loop {
                        match qrx.try_recv() {
                            Ok(newer) => job = newer,
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let (seq, q) = job;
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
                    let out = run(d, q).map_err(|e| e.to_string());
                    if atx.send((seq, out)).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Worker {
            tx: Some(qtx),
            rx: arx,
            handle: Some(handle),
        })
    }

    /// Queues a job; false when the thread is gone.
    pub fn ask(&self, seq: u64, q: Q) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send((seq, q)).is_ok())
    }

    /// Every answer that has arrived, oldest first.
    pub fn answers(&self) -> Vec<Reply<A>> {
        self.rx.try_iter().collect()
    }

    /// The answer to job `seq` once it has come; answers to older jobs are dropped.
    pub fn answer_to(&self, seq: u64) -> Option<Result<A, String>> {
        self.rx
            .try_iter()
            .filter(|(s, _)| *s == seq)
            .last()
            .map(|(_, a)| a)
    }
}

impl<Q, A> Drop for Worker<Q, A> {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the job it is running; it is not waited
        // for, so closing a popup or a screen never blocks a key either.
        self.tx.take();
        drop(self.handle.take());
    }
}

/// A screen's side of a worker: the thread (started on the first job, for a book in a
/// file), the number of the newest job asked, and whether its answer is still awaited.
pub struct Asker<Q, A> {
    worker: Option<Worker<Q, A>>,
    asked: u64,
    pending: bool,
}

impl<Q, A> Default for Asker<Q, A> {
    fn default() -> Self {
        Asker {
            worker: None,
            asked: 0,
            pending: false,
        }
    }
}

impl<Q, A> std::fmt::Debug for Asker<Q, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Asker(asked {}, pending {})", self.asked, self.pending)
    }
}

impl<Q: Send + 'static, A: Send + 'static> Asker<Q, A> {
    /// Asks the worker for `job`; false when there is none (a book in memory, or no thread
    /// could be started), and the caller does the job itself, then says `answered_here`.
    pub fn ask(
        &mut self,
        book: Option<&std::path::Path>,
        start: fn(PathBuf) -> std::io::Result<Worker<Q, A>>,
        job: Q,
    ) -> bool {
        if self.worker.is_none()
            && let Some(path) = book
        {
            self.worker = start(path.to_path_buf()).ok();
        }
        if let Some(w) = &self.worker
            && w.ask(self.asked + 1, job)
        {
            self.asked += 1;
            self.pending = true;
            return true;
        }
        false
    }

    /// The job was done on the UI thread: any answer still on its way is older.
    pub fn answered_here(&mut self) {
        self.asked += 1;
        self.pending = false;
    }

    /// The answer to the newest job is still awaited.
    pub fn pending(&self) -> bool {
        self.pending
    }

    /// The answer to the newest job, once it has come (answers to older ones are dropped).
    pub fn answer(&mut self) -> Option<Result<A, String>> {
        let a = self.worker.as_ref()?.answer_to(self.asked)?;
        self.pending = false;
        Some(a)
    }
}
