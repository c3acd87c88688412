//! `salesdesk report [--since WHEN] [--pipeline P] [--owner NAME | --team] [--json]`: the
//! report as JSON or as aligned text, the user's own figures by default.

use std::io::Write;

use chrono::NaiveDate;

use crate::cli::output;
use crate::domain::money::format_amount;
use crate::domain::report::{Report, percent};
use crate::domain::team::Scope;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::text::{pad, pad_left, plural, printable};

pub fn run(
    desk: &mut Desk,
    since: &Option<String>,
    pipeline: Option<&str>,
    scope: Scope,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let pipeline = pipeline
        .map(|p| desk.config.resolve_pipeline(p, true))
        .transpose()?;
    let since = match since {
        Some(s) => {
            let day = crate::when::parse_since(s, desk.clock.now_naive())
                .map_err(|e| Error::input(format!("--since: {e}; or -30d, -2w, -1m")))?;
            // A period runs up to today: one that starts later would be a negative span.
            if day > desk.clock.today() {
                return Err(Error::input(format!(
                    "--since {:?} is {}, after today: give today or a day before it, like -30d",
                    printable(s),
                    day.format("%a %-d %b %Y")
                )));
            }
            day
        }
        None => desk.default_since(),
    };
    let report = desk.report_of(since, pipeline.as_deref(), scope)?;
    if json {
        output::json(out, &report)
    } else {
        text(out, &report, desk.clock.today(), &desk.db.user())
    }
}

/// Label column, then number columns of this width.
const LABEL: usize = 18;
const NUM: usize = 14;

fn num(n: i64) -> String {
    cell(format_amount(n * 100))
}

fn money(cents: i128) -> String {
    cell(format_amount(cents))
}

/// Right-aligned in a column; an amount wider than the column (sums run past a quintillion)
/// pushes the line out rather than lose digits.
fn cell(s: String) -> String {
    if crate::text::width(&s) >= NUM {
        format!(" {s}")
    } else {
        pad_left(&s, NUM)
    }
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "–".to_string(), |d| format!("{d:.1}"))
}

/// The plain-text report: one section per figure, numbers right-aligned with thousands
/// separators, money in the book's currency. The header says whose when not `me`'s own.
pub fn text(out: &mut dyn Write, r: &Report, today: NaiveDate, me: &str) -> Result<()> {
    header(out, r, today, me)?;
    let sections: [Section; 7] = [
        pipeline, forecast, closed, stage_days, sources, activity, overdue,
    ];
    for section in sections {
        writeln!(out)?;
        section(out, r)?;
    }
    sequences(out, r)?;
    referrers(out, r)?;
    reps(out, r)?;
    other_currencies(out, r)
}

/// The team's table, most won first: where more than one person works the book (one line
/// would repeat the totals above).
fn reps(out: &mut dyn Write, r: &Report) -> Result<()> {
    if r.reps.len() < 2 {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}{}{}{}{}{}{}",
        pad("Reps", LABEL + 2),
        pad_left("Won", NUM),
        pad_left("Lost", NUM),
        pad_left("Win rate", NUM),
        pad_left("Calls", NUM),
        pad_left("Connect", NUM),
        pad_left("Pipeline", NUM)
    )?;
    for x in &r.reps {
        writeln!(
            out,
            "  {}{}{}{}{}{}{}",
            pad(&printable(&x.owner), LABEL),
            num(x.won),
            num(x.lost),
            pad_left(percent(x.win_rate).trim(), NUM),
            num(x.calls),
            pad_left(percent(x.connect_rate).trim(), NUM),
            money(x.pipeline_cents)
        )?;
    }
    Ok(())
}

/// Per sequence: enrolled, active, finished, stopped by a reply or a connected call, won,
/// lost, and the reply rate (nothing when the config and the book have none).
fn sequences(out: &mut dyn Write, r: &Report) -> Result<()> {
    if r.sequences.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}{}{}{}{}{}{}{}",
        pad("Sequences", LABEL + 2),
        pad_left("Enrolled", 9),
        pad_left("Active", 8),
        pad_left("Finished", 9),
        pad_left("Replied", 8),
        pad_left("Won", 6),
        pad_left("Lost", 6),
        pad_left("Reply rate", 11)
    )?;
    for s in &r.sequences {
        let n = |v: i64| format_amount(v * 100);
        writeln!(
            out,
            "  {}{}{}{}{}{}{}{}",
            pad(&s.name, LABEL),
            pad_left(&n(s.enrolled), 9),
            pad_left(&n(s.active), 8),
            pad_left(&n(s.finished), 9),
            pad_left(&n(s.replied), 8),
            pad_left(&n(s.won), 6),
            pad_left(&n(s.lost), 6),
            pad_left(percent(s.reply_rate).trim(), 11)
        )?;
    }
    Ok(())
}

/// The top referrers, when anyone referred anyone.
fn referrers(out: &mut dyn Write, r: &Report) -> Result<()> {
    if r.referrals.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}{}{}{}",
        pad("Top referrers", LABEL + 2),
        pad_left("Referred", NUM),
        pad_left("Customers", NUM),
        pad_left("Won", NUM)
    )?;
    for x in &r.referrals {
        writeln!(
            out,
            "  {}{}{}{}",
            pad(&printable(&x.name), LABEL),
            num(x.referred),
            num(x.customers),
            money(x.won_cents)
        )?;
    }
    Ok(())
}

/// One section of the text report.
type Section = fn(&mut dyn Write, &Report) -> Result<()>;

/// The period and the currency, and whose figures when not the user's own.
fn header(out: &mut dyn Write, r: &Report, today: NaiveDate, me: &str) -> Result<()> {
    let span = (today - r.since).num_days();
    let whose = match r.owner.as_deref() {
        None => ", the whole team's".to_string(),
        Some(o) if o == me => String::new(),
        Some(o) => format!(", {}'s", printable(o)),
    };
    writeln!(
        out,
        "Report from {} to {} ({}){whose}, money in {}",
        r.since.format("%a %-d %b %Y"),
        today.format("%a %-d %b %Y"),
        plural(span, "day"),
        r.currency
    )?;
    Ok(())
}

/// The open pipeline per stage, and its total.
fn pipeline(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}{}",
        pad("Open pipeline", LABEL + 2),
        pad_left("Deals", NUM),
        pad_left("Value", NUM),
        pad_left("Weighted", NUM)
    )?;
    let several = r
        .pipeline
        .iter()
        .any(|s| s.pipeline != r.pipeline[0].pipeline);
    for s in &r.pipeline {
        let label = match several {
            true => format!(
                "{} · {} {}%",
                printable(&s.pipeline),
                printable(&s.stage),
                s.probability
            ),
            false => format!("{} {}%", printable(&s.stage), s.probability),
        };
        writeln!(
            out,
            "  {}{}{}{}",
            pad(&label, LABEL),
            num(s.count),
            money(s.value_cents),
            money(s.weighted_cents)
        )?;
    }
    let t = r.open_total();
    writeln!(
        out,
        "  {}{}{}{}",
        pad("Total", LABEL),
        num(t.count),
        money(t.value_cents),
        money(t.weighted_cents)
    )?;
    Ok(())
}

/// The weighted open value per expected close month.
fn forecast(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}",
        pad("Forecast by close", LABEL + 2),
        pad_left("Deals", NUM),
        pad_left("Weighted", NUM)
    )?;
    if r.forecast.is_empty() && r.forecast_undated_cents == 0 {
        writeln!(out, "  no open deals with a value")?;
    }
    for m in &r.forecast {
        writeln!(
            out,
            "  {}{}{}",
            pad(&m.month, LABEL),
            num(m.count),
            money(m.weighted_cents)
        )?;
    }
    if r.forecast_undated_cents != 0 {
        writeln!(
            out,
            "  {}{}{}",
            pad("no close date", LABEL),
            pad_left("", NUM),
            money(r.forecast_undated_cents)
        )?;
    }
    Ok(())
}

/// Won and lost in the period, the win rate and the days to a win.
fn closed(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}",
        pad("Closed in period", LABEL + 2),
        pad_left("Deals", NUM),
        pad_left("Value", NUM)
    )?;
    writeln!(
        out,
        "  {}{}{}",
        pad("Won", LABEL),
        num(r.won.count),
        money(r.won.value_cents)
    )?;
    writeln!(
        out,
        "  {}{}{}",
        pad("Lost", LABEL),
        num(r.lost.count),
        money(r.lost.value_cents)
    )?;
    writeln!(
        out,
        "  {}{}",
        pad("Win rate", LABEL),
        pad_left(&percent(r.win_rate), NUM)
    )?;
    writeln!(
        out,
        "  {}{}  days from creation",
        pad("Days to win", LABEL),
        pad_left(&days(r.avg_days_to_win), NUM)
    )?;
    Ok(())
}

/// The average days in each stage.
fn stage_days(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}",
        pad("Days in stage", LABEL + 2),
        pad_left("Avg days", NUM),
        pad_left("Stays", NUM)
    )?;
    for s in &r.stage_days {
        writeln!(
            out,
            "  {}{}{}",
            pad(&printable(&s.stage), LABEL),
            pad_left(&days(s.avg_days), NUM),
            num(s.stays)
        )?;
    }
    Ok(())
}

/// Contacts, customers and won value per lead source.
fn sources(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}{}{}",
        pad("Lead sources", LABEL + 2),
        pad_left("Contacts", NUM),
        pad_left("Customers", NUM),
        pad_left("Conversion", NUM),
        pad_left("Won", NUM)
    )?;
    if r.sources.is_empty() {
        writeln!(out, "  no contacts yet")?;
    }
    for s in &r.sources {
        let name = s.source.as_deref().map_or("(none)".into(), printable);
        writeln!(
            out,
            "  {}{}{}{}{}",
            pad(&name, LABEL),
            num(s.contacts),
            num(s.customers),
            pad_left(&percent(s.conversion_rate), NUM),
            money(s.won_cents)
        )?;
    }
    Ok(())
}

/// Notes per week by kind, and the calls' connect rate.
fn activity(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}{}{}{}{}",
        pad("Activity", LABEL + 2),
        pad_left("Calls", 8),
        pad_left("Emails", 8),
        pad_left("Meetings", 10),
        pad_left("Notes", 8),
        pad_left("Total", 8)
    )?;
    for w in &r.activity {
        writeln!(
            out,
            "  {}{}{}{}{}{}",
            pad(&w.week, LABEL),
            pad_left(&format_amount(w.call * 100), 8),
            pad_left(&format_amount(w.email * 100), 8),
            pad_left(&format_amount(w.meeting * 100), 10),
            pad_left(&format_amount(w.note * 100), 8),
            pad_left(&format_amount(w.total() * 100), 8)
        )?;
    }
    writeln!(
        out,
        "  {}{}  {} of {} with an outcome",
        pad("Connect rate", LABEL),
        pad_left(&percent(r.connect_rate), NUM),
        format_amount(r.calls.connected * 100),
        plural(r.calls.with_outcome, "call")
    )?;
    Ok(())
}

/// The follow-ups overdue today.
fn overdue(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(
        out,
        "{}{}",
        pad("Overdue follow-ups", LABEL + 2),
        num(r.overdue)
    )?;
    Ok(())
}

/// Deals in other currencies, totalled apart (nothing when there are none).
fn other_currencies(out: &mut dyn Write, r: &Report) -> Result<()> {
    if r.other_currencies.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "Other currencies, kept apart from the figures above (open, won, lost in period):"
    )?;
    for o in &r.other_currencies {
        writeln!(
            out,
            "  {}  open {} {} (weighted {}) · won {} {} · lost {} {}",
            o.currency,
            plural(o.open.count, "deal"),
            format_amount(o.open.value_cents),
            format_amount(o.open.weighted_cents),
            format_amount(o.won.count * 100),
            format_amount(o.won.value_cents),
            format_amount(o.lost.count * 100),
            format_amount(o.lost.value_cents)
        )?;
    }
    Ok(())
}
