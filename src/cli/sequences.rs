//! `sequence start|stop|list|show`.

use std::io::Write;

use crate::cli::args::SequenceCmd;
use crate::cli::output::json;
use crate::domain::sequence::Enrollment;
use crate::error::Result;
use crate::ops::Desk;
use crate::text::printable;
use crate::when;

pub fn run(desk: &mut Desk, cmd: &SequenceCmd, out: &mut dyn Write) -> Result<()> {
    match cmd {
        SequenceCmd::Start {
            contact,
            name,
            deal,
        } => {
            let id = desk.resolve_contact(contact)?;
            let s = desk.start_sequence(id, name, *deal)?;
            writeln!(
                out,
                "sequence {} started: step 1 of {}, follow-up #{} {}",
                s.name,
                s.steps,
                s.follow_up,
                when::describe(s.due, desk.clock.now_naive())
            )?;
            Ok(())
        }
        SequenceCmd::Stop { contact } => {
            let id = desk.resolve_contact(contact)?;
            let name = desk.stop_sequence(id)?;
            writeln!(
                out,
                "sequence {} stopped; its open step cancelled",
                printable(&name)
            )?;
            Ok(())
        }
        SequenceCmd::List { json: as_json } => {
            let list = desk.sequence_list()?;
            if *as_json {
                return json(out, &list);
            }
            list_lines(out, &list)
        }
        SequenceCmd::Show {
            name,
            json: as_json,
        } => {
            let v = desk.sequence_view(name)?;
            if *as_json {
                return json(out, &v);
            }
            let retired = if v.retired {
                " (retired: no longer in the config)"
            } else {
                ""
            };
            writeln!(out, "{}{retired}", printable(&v.name))?;
            for (i, s) in v.steps.iter().enumerate() {
                writeln!(
                    out,
                    "  {}. after {:<4} {:<8} {}",
                    i + 1,
                    printable(&s.after),
                    s.kind.as_str(),
                    printable(&s.text)
                )?;
            }
            let stops: Vec<&str> = v.stop_on.iter().map(|s| s.as_str()).collect();
            writeln!(out, "  stops on: {}", stops.join(", "))?;
            let f = &v.figures;
            let rate = f
                .reply_rate
                .map_or_else(|| "-".to_string(), |r| format!("{:.0}%", r * 100.0));
            writeln!(
                out,
                "  enrolled {} · active {} · finished {} · replied {} · won {} · lost {} · reply rate {rate}",
                f.enrolled, f.active, f.finished, f.replied, f.won, f.lost
            )?;
            Ok(())
        }
    }
}

fn list_lines(out: &mut dyn Write, list: &[Enrollment]) -> Result<()> {
    if list.is_empty() {
        writeln!(
            out,
            "Nobody is in a sequence. `salesdesk sequence start CONTACT NAME` starts one."
        )?;
        return Ok(());
    }
    for e in list {
        let retired = if e.retired { " (retired)" } else { "" };
        writeln!(
            out,
            "#{:<5} {:<28} {}{retired} {}/{}  next {}  started {}",
            e.contact_id,
            printable(&e.contact_name),
            printable(&e.sequence),
            e.step,
            e.steps.len(),
            e.next_due.as_deref().unwrap_or("-"),
            e.started_at.get(..10).unwrap_or(&e.started_at)
        )?;
    }
    Ok(())
}
