//! Commands at the end of a note: `@fri 3pm` schedules the next follow-up, `#proposal` moves
//! the deal, `#won` / `#lost` close it, `$12k` sets its value. Only the trailing run of words
//! that all parse as commands counts; the commands stay in the note's text.

use chrono::NaiveDateTime;

use crate::domain::money;
use crate::when::{self, When};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    Won,
    Lost,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commands {
    pub next: Option<When>,
    pub stage: Option<String>,
    pub close: Option<Close>,
    pub value_cents: Option<i64>,
    /// An `@` command plainly meant as a WHEN that names none (`@tomorrow 24:00`, `@feb 30`):
    /// why, so the note is refused rather than saved with the words as text.
    pub bad_when: Option<String>,
}

impl Commands {
    pub fn is_empty(&self) -> bool {
        self == &Commands::default()
    }
    /// Whether any command needs a deal to act on.
    pub fn needs_deal(&self) -> bool {
        self.stage.is_some() || self.close.is_some() || self.value_cents.is_some()
    }
}

/// Finds the trailing commands of `body`. `stage` resolves a `#word` to a configured stage name.
pub fn parse(body: &str, now: NaiveDateTime, stage: &dyn Fn(&str) -> Option<String>) -> Commands {
    parse_at(body, now, stage).0
}

/// The note without its trailing commands (`went with a competitor` of `went with a
/// competitor #lost @fri`): what a lost reason keeps.
pub fn text_before_commands<'a>(
    body: &'a str,
    now: NaiveDateTime,
    stage: &dyn Fn(&str) -> Option<String>,
) -> &'a str {
    let (_, start) = parse_at(body, now, stage);
    let cut = body
        .split_whitespace()
        .nth(start)
        .map_or(body.len(), |w| w.as_ptr() as usize - body.as_ptr() as usize);
    body[..cut].trim()
}

/// The commands, and the index of the word where they start (the word count when none).
fn parse_at(
    body: &str,
    now: NaiveDateTime,
    stage: &dyn Fn(&str) -> Option<String>,
) -> (Commands, usize) {
    let words: Vec<&str> = body.split_whitespace().collect();
    // A WHEN spans a few words at most, so once this many plain words stand between the end
    // and the earliest command found, nothing further back can join the trailing run.
    const MAX_GAP: usize = 6;
    let mut best: Option<Commands> = None;
    let mut best_start = words.len();
    for i in (0..words.len()).rev() {
        if best_start - i > MAX_GAP && best_start < words.len() {
            break;
        }
        if best_start == words.len() && words.len() - i > MAX_GAP {
            break;
        }
        if !words[i].starts_with(['@', '#', '$']) {
            continue;
        }
        if let Some(c) = parse_run(&words[i..], now, stage) {
            best = Some(c);
            best_start = i;
        }
    }
    (best.unwrap_or_default(), best_start)
}

/// Parses `words` as nothing but commands, or None.
fn parse_run(
    words: &[&str],
    now: NaiveDateTime,
    stage: &dyn Fn(&str) -> Option<String>,
) -> Option<Commands> {
    let Some((first, rest)) = words.split_first() else {
        return Some(Commands::default());
    };
    if let Some(w) = first.strip_prefix('@') {
        // The longest WHEN after `@` whose remainder still parses as commands.
        let mut when_words = vec![w];
        when_words.extend(rest.iter().take_while(|r| !r.starts_with(['@', '#', '$'])));
        if let when::Leading::Bad(e, used) = when::leading(&when_words, now) {
            let mut more = parse_run(&words[used..], now, stage)?;
            more.bad_when.get_or_insert(e.to_string());
            return Some(more);
        }
        for n in (1..=when_words.len()).rev() {
            let Ok(when) = when::parse(&when_words[..n].join(" "), now) else {
                continue;
            };
            if let Some(mut more) = parse_run(&words[n..], now, stage) {
                more.next.get_or_insert(when);
                return Some(more);
            }
        }
        return None;
    }
    let mut more = parse_run(rest, now, stage)?;
    if let Some(w) = first.strip_prefix('#') {
        let key = w.trim_end_matches(['.', ',', '!']).to_lowercase();
        match key.as_str() {
            "won" => {
                more.close.get_or_insert(Close::Won);
            }
            "lost" => {
                more.close.get_or_insert(Close::Lost);
            }
            _ if !key.is_empty() && !key.chars().all(|c| c.is_ascii_digit()) => {
                let s = stage(&key)?;
                more.stage.get_or_insert(s);
            }
            _ => return None,
        }
        return Some(more);
    }
    if first.starts_with('$') {
        let (cents, _) = money::parse(first.trim_end_matches(['.', '!'])).ok()?;
        more.value_cents.get_or_insert(cents);
        return Some(more);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }
    fn day(d: u32) -> When {
        When::Day(NaiveDate::from_ymd_opt(2026, 11, d).unwrap())
    }
    fn stages(w: &str) -> Option<String> {
        ["Lead", "Qualified", "Proposal", "Negotiation"]
            .iter()
            .find(|s| s.to_lowercase().starts_with(w))
            .map(|s| s.to_string())
    }
    fn p(s: &str) -> Commands {
        parse(s, now(), &stages)
    }

    #[test]
    fn trailing_commands() {
        let c = p("Good call, wants pricing @fri #proposal $12k");
        assert_eq!(c.next, Some(day(27)));
        assert_eq!(c.stage.as_deref(), Some("Proposal"));
        assert_eq!(c.value_cents, Some(1_200_000));
        let c = p("talked @next fri 3pm");
        assert_eq!(
            c.next,
            Some(When::At(
                NaiveDate::from_ymd_opt(2026, 11, 27)
                    .unwrap()
                    .and_hms_opt(15, 0, 0)
                    .unwrap()
            ))
        );
        assert_eq!(p("signed! #won").close, Some(Close::Won));
        assert_eq!(p("went with a rival #lost").close, Some(Close::Lost));
        assert_eq!(p("price was $12,500").value_cents, Some(1_250_000));
    }

    #[test]
    fn plain_text_stays_plain() {
        assert!(p("see ticket #4471").is_empty());
        assert!(p("ask @dave about it").is_empty());
        assert!(p("#proposal is due, then we talk").is_empty());
        assert!(p("").is_empty());
        // a non-command word breaks the run: only what follows it counts
        let c = p("#proposal sent @fri");
        assert_eq!(c.stage, None);
        assert_eq!(c.next, Some(day(27)));
        // an unknown stage inside the run ends it there
        let c = p("#nope @fri");
        assert_eq!(c.next, Some(day(27)));
        assert_eq!(c.stage, None);
    }

    #[test]
    fn an_impossible_when_is_refused_not_text() {
        for note in [
            "call @tomorrow 24:00",
            "call @tomorrow 23:60",
            "call @fri 25pm #proposal",
            "call @feb 30",
            "call @+99999999h",
            "call @yesterday",
        ] {
            let c = p(note);
            assert!(c.bad_when.is_some(), "{note}: {c:?}");
            assert_eq!(c.next, None, "{note}");
        }
        // Followed by plain words, it is no trailing command: the note is text, as before.
        assert!(p("ask @tomorrow 24:00 about it").is_empty());
        assert_eq!(p("call @fri #proposal").bad_when, None);
    }

    #[test]
    fn long_notes_stay_linear() {
        let body = "word ".repeat(200_000) + "@tomorrow";
        assert_eq!(p(&body).next, Some(day(24)));
    }
}
