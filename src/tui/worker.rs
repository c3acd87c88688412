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

use crate::ops::{Db, Desk};

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

    /// Waits at most `timeout` for the answer to job `seq`; answers to older jobs are
    /// dropped.
    pub fn wait_for(&self, seq: u64, timeout: std::time::Duration) -> Option<Result<A, String>> {
        let end = std::time::Instant::now() + timeout;
        loop {
            let left = end.checked_duration_since(std::time::Instant::now())?;
            match self.rx.recv_timeout(left) {
                Ok((s, a)) if s == seq => return Some(a),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// The answer to job `seq` once it has come; answers to older jobs are dropped. A thread
    /// that has stopped (it panicked) answers that it did, rather than never.
    pub fn answer_to(&self, seq: u64) -> Option<Result<A, String>> {
        let answer = self
            .rx
            .try_iter()
            .filter(|(s, _)| *s == seq)
            .last()
            .map(|(_, a)| a);
        if answer.is_none() && matches!(self.rx.try_recv(), Err(TryRecvError::Disconnected)) {
            return Some(Err(
                "the worker thread stopped; open the screen again".into()
            ));
        }
        answer
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
        if !self.pending {
            return None;
        }
        let a = self.worker.as_ref()?.answer_to(self.asked)?;
        self.pending = false;
        Some(a)
    }

    /// The answer to the newest job, waited for at most `timeout` while it is pending: for a
    /// key that needs it (Enter on a completion still being read).
    pub fn wait(&mut self, timeout: std::time::Duration) -> Option<Result<A, String>> {
        if !self.pending {
            return None;
        }
        let a = self.worker.as_ref()?.wait_for(self.asked, timeout)?;
        self.pending = false;
        Some(a)
    }
}

/// A job for the desk's queue: it runs on the queue's own desk (the book, the config, the
/// clock of the moment it was asked) and its answer goes back to the UI thread.
pub type Job<T> = Box<dyn FnOnce(&mut Desk) -> T + Send>;

/// The desk's queue, for a book on a server: one thread with its own connection does the
/// reads and writes that keys ask for, one at a time and in the order asked (so a read asked
/// after a write sees it, and writes land in the order typed), while the UI thread draws.
/// Unlike a `Worker`, nothing is skipped: every job is done and answered.
pub struct Queue<T> {
    tx: Option<Sender<Job<T>>>,
    rx: Receiver<T>,
    /// Jobs asked whose answers have not been taken yet.
    in_flight: usize,
    handle: Option<JoinHandle<()>>,
}

impl<T> std::fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Queue({} in flight)", self.in_flight)
    }
}

impl<T: Send + 'static> Queue<T> {
    /// Starts the thread, which opens the book at `path` at once (the first key then finds
    /// the connection made). When it cannot, each job is answered by `failed`.
    pub fn spawn(
        path: PathBuf,
        config: crate::config::Config,
        clock: crate::clock::Clock,
        failed: fn(String) -> T,
    ) -> std::io::Result<Self> {
        let (qtx, qrx) = mpsc::channel::<Job<T>>();
        let (atx, arx) = mpsc::channel::<T>();
        let handle = std::thread::Builder::new()
            .name("desk".into())
            .spawn(move || {
                let mut desk = Db::open(&path)
                    .map(|db| crate::ops::Desk::new(db, clock, config))
                    .map_err(|e| e.to_string());
                while let Ok(job) = qrx.recv() {
                    let out = match &mut desk {
                        Ok(d) => job(d),
                        Err(e) => failed(e.clone()),
                    };
                    if atx.send(out).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Queue {
            tx: Some(qtx),
            rx: arx,
            in_flight: 0,
            handle: Some(handle),
        })
    }

    /// Queues a job; false when the thread is gone (the caller does it itself).
    pub fn ask(&mut self, job: Job<T>) -> bool {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(job).is_ok());
        self.in_flight += usize::from(sent);
        sent
    }

    /// Jobs asked and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The next answer if it has come, in the order the jobs were asked.
    pub fn answer(&mut self) -> Option<T> {
        let a = self.rx.try_recv().ok()?;
        self.in_flight -= 1;
        Some(a)
    }

    /// The next answer, waiting for it (for tests and benches that need the result of a key
    /// before they look); `None` when nothing is in flight or the thread is gone.
    pub fn wait(&mut self) -> Option<T> {
        if self.in_flight == 0 {
            return None;
        }
        let a = self.rx.recv().ok()?;
        self.in_flight -= 1;
        Some(a)
    }
}

impl<T> Drop for Queue<T> {
    fn drop(&mut self) {
        // As a `Worker`: the thread ends after the job it is doing (a write is committed or
        // not, whole), and is not waited for.
        self.tx.take();
        drop(self.handle.take());
    }
}

/// A job a page or a popup hands the app for the desk's queue (done at once where there is
/// none), with what to do with its answer.
pub struct Deferred<T>(pub Job<T>);

impl<T> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deferred")
    }
}

impl<T> Deferred<T> {
    pub fn new(job: impl FnOnce(&mut Desk) -> T + Send + 'static) -> Self {
        Deferred(Box::new(job))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// A worker whose job panics says so once asked, rather than leaving the screen waiting
    /// (and the loop spinning) for an answer that never comes; an answer that did come is
    /// taken once.
    #[test]
    fn a_stopped_worker_answers_that_it_stopped() {
        let dir = tempfile::tempdir().expect("a folder");
        let book = dir.path().join("book.db");
        let mut asker: Asker<bool, u8> = Asker::default();
        let start: fn(PathBuf) -> std::io::Result<Worker<bool, u8>> = |p| {
            Worker::spawn("test", p, |_, fail| {
                assert!(!fail, "the job fails as asked");
                Ok(7)
            })
        };
        assert!(asker.ask(Some(&book), start, false));
        assert_eq!(asker.wait(Duration::from_secs(20)), Some(Ok(7)));
        assert_eq!(asker.answer(), None, "taken once");
        assert!(asker.ask(Some(&book), start, true));
        let begun = Instant::now();
        let answer = loop {
            if let Some(a) = asker.answer() {
                break a;
            }
            assert!(begun.elapsed() < Duration::from_secs(20), "no answer");
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(answer.is_err_and(|e| e.contains("stopped")));
        assert!(!asker.pending());
        assert_eq!(asker.answer(), None);
    }
}
