//! Times each query of `salesdesk report` alone, in one process, with the same bundled SQLite
//! and pragmas: where the report's time goes. The book is opened as salesdesk opens it (so an
//! older book is migrated first: run it on a copy).
//!
//!     cargo run --release --example report_parts -- BOOK [DAYS] [RUNS]
//!
//! Each line is one query for the period of DAYS days (90) before `SALESDESK_NOW` (or now),
//! run RUNS times (5): the fastest wall time, and the mean CPU time the thread got (Linux's
//! `/proc/thread-self/schedstat`, updated at scheduler ticks, hence the mean), which is the
//! figure to read on a busy machine. With `OWNER=NAME` each query is cut to that owner's rows,
//! as a rep's own report reads them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveTime};
use salesdesk::clock::{Clock, local_instant, stamp};
use salesdesk::domain::report::weeks;
use salesdesk::storage::{Db, follow_ups, report as q};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: report_parts BOOK [DAYS] [RUNS]");
        return ExitCode::from(2);
    };
    let num = |i: usize, default: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    match run(PathBuf::from(path), num(1, 90), num(2, 5).max(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(path: PathBuf, days: u64, runs: u64) -> salesdesk::error::Result<()> {
    let clock = Clock::from_env()?;
    let today = clock.today();
    let since = today - Days::new(days);
    let day = |d: chrono::NaiveDate| stamp(local_instant(d.and_time(NaiveTime::MIN)));
    let from = day(since);
    let owner = std::env::var("OWNER").ok();
    let by = owner.as_deref();
    let (opened, cpu) = (Instant::now(), cpu_time());
    let mut db = Db::open(&path)?;
    println!(
        "{:>9.1} ms {:>9.1} ms CPU  open the book",
        ms(opened.elapsed()),
        ms(cpu_time() - cpu)
    );
    let probabilities: Vec<((String, String), u8)> =
        ["Lead", "Qualified", "Proposal", "Negotiation"]
            .iter()
            .zip([10, 25, 50, 75])
            .map(|(s, p)| (("sales".to_string(), s.to_string()), p))
            .collect();
    let parts: Vec<(&str, Part)> = vec![
        ("open stages", Box::new(|c| q::open_stages(c).map(drop))),
        (
            "open deals by currency, stage, close",
            Box::new(|c| q::open_deals(c, &probabilities, by).map(drop)),
        ),
        (
            "won and lost in the period",
            Box::new(|c| q::closed_since(c, &from, by).map(drop)),
        ),
        (
            "days in stage",
            Box::new(|c| q::stage_days(c, &from, by).map(drop)),
        ),
        (
            "lead sources",
            Box::new(|c| q::sources(c, "USD", by).map(drop)),
        ),
        (
            "notes per week, kind, outcome",
            Box::new(|c| {
                for w in weeks(since, today) {
                    q::note_counts(c, &day(w.from), &day(w.until), by)?;
                }
                Ok(())
            }),
        ),
        (
            "overdue follow-ups",
            Box::new(|c| {
                follow_ups::due_counts(c, today, &salesdesk::domain::team::Scope::Mine).map(drop)
            }),
        ),
    ];
    let (mut total, mut total_cpu) = (Duration::ZERO, Duration::ZERO);
    for (name, f) in &parts {
        let mut best = Duration::MAX;
        let cpu = cpu_time();
        for _ in 0..runs {
            let t = Instant::now();
            db.read(|c| f(c))?;
            best = best.min(t.elapsed());
        }
        let mean_cpu = (cpu_time() - cpu) / runs.max(1) as u32;
        total += best;
        total_cpu += mean_cpu;
        println!("{:>9.1} ms {:>9.1} ms CPU  {name}", ms(best), ms(mean_cpu));
    }
    println!(
        "{:>9.1} ms {:>9.1} ms CPU  all queries",
        ms(total),
        ms(total_cpu)
    );
    Ok(())
}

/// CPU time this thread has had; zero where Linux's schedstat is not there.
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// One query of the report, run on the book's connection.
type Part<'a> = Box<dyn Fn(&salesdesk::storage::Snapshot) -> salesdesk::error::Result<()> + 'a>;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
