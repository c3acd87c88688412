//! Every value checked at once, at start, so a bad one stops every command (not only the key
//! that would use it, minutes later in the TUI). Each rule names the key it checks; the first
//! broken one is the error, with its line.

use super::problem::{Problem, Seg, SegOwned};
use super::{Config, MAX_BACKUPS_KEPT, MAX_STALE_DAYS, Stage, stage_key};

type Checked = std::result::Result<(), Problem>;

impl Config {
    pub(super) fn validate(&self) -> Checked {
        self.check_currency()?;
        self.check_stages()?;
        self.check_pipelines()?;
        self.check_referrals()?;
        self.check_follow_up_whens()?;
        self.check_workdays()?;
        self.check_numbers()?;
        self.remind.check()?;
        self.check_sequences()?;
        self.check_keys()
    }

    fn check_currency(&self) -> Checked {
        let cur = self.currency.trim();
        if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Problem::at(
                &[Seg::Key("currency")],
                format!(
                    "currency = {:?}: use a three-letter code such as USD or EUR",
                    self.currency
                ),
            ));
        }
        Ok(())
    }

    /// At least one stage; each named, not won or lost, its probability a percentage, and no
    /// two named alike (case and spaces aside).
    fn check_stages(&self) -> Checked {
        if self.pipeline.stages.is_empty() {
            return Err(Problem::at(
                &[Seg::Key("pipeline"), Seg::Key("stages")],
                "[pipeline] stages: name at least one stage",
            ));
        }
        let mut seen = Vec::new();
        for (i, s) in self.pipeline.stages.iter().enumerate() {
            let at = |field| {
                [
                    Seg::Key("pipeline"),
                    Seg::Key("stages"),
                    Seg::Index(i),
                    Seg::Key(field),
                ]
            };
            let key = stage_key(&s.name);
            if let Some((field, message)) = stage_problem(s, &key, &seen) {
                return Err(Problem::at(&at(field), message));
            }
            seen.push(key);
        }
        Ok(())
    }

    /// `snooze` and `next` must read as a WHEN. Any fixed moment does: a WHEN that reads on
    /// one day reads on every other.
    fn check_follow_up_whens(&self) -> Checked {
        let reference = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        for (key, value) in [
            ("snooze", &self.follow_up.snooze),
            ("next", &self.follow_up.next),
        ] {
            if let Err(e) = crate::when::parse(value, reference) {
                return Err(Problem::at(
                    &[Seg::Key("follow_up"), Seg::Key(key)],
                    format!("[follow_up] {key} = {value:?}: {e}"),
                ));
            }
        }
        Ok(())
    }

    fn check_workdays(&self) -> Checked {
        let names = self.follow_up.workdays.names();
        if names.is_empty() {
            return Err(Problem::at(
                &[Seg::Key("follow_up"), Seg::Key("workdays")],
                "[follow_up] workdays is empty; name at least one day, such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            ));
        }
        let mut days = Vec::new();
        for (i, d) in names.iter().enumerate() {
            let at = [Seg::Key("follow_up"), Seg::Key("workdays"), Seg::Index(i)];
            let Some(day) = crate::domain::workdays::parse_day(d) else {
                return Err(Problem::at(
                    &at,
                    format!(
                        "[follow_up] workdays: {d:?} is not a day; use mon, tue, wed, thu, fri, sat, sun"
                    ),
                ));
            };
            if days.contains(&day) {
                return Err(Problem::at(
                    &at,
                    format!("[follow_up] workdays: {d:?} is named twice"),
                ));
            }
            days.push(day);
        }
        Ok(())
    }

    /// Numbers a person typed, each with its range (a day count becomes date arithmetic).
    fn check_numbers(&self) -> Checked {
        if !(1..=MAX_STALE_DAYS).contains(&self.pipeline.stale_after_days) {
            return Err(Problem::at(
                &[Seg::Key("pipeline"), Seg::Key("stale_after_days")],
                format!(
                    "[pipeline] stale_after_days = {}: use 1 to {MAX_STALE_DAYS}",
                    self.pipeline.stale_after_days
                ),
            ));
        }
        if !(1..=MAX_BACKUPS_KEPT).contains(&self.backup.keep) {
            return Err(Problem::at(
                &[Seg::Key("backup"), Seg::Key("keep")],
                format!(
                    "[backup] keep = {}: keep 1 to {MAX_BACKUPS_KEPT} automatic backups",
                    self.backup.keep
                ),
            ));
        }
        Ok(())
    }

    /// The keymap is built once here so a rebinding that cannot work stops the start.
    fn check_keys(&self) -> Checked {
        if let Err(p) = crate::tui::keymap::Keymap::build(&self.keys) {
            return Err(Problem {
                path: vec![SegOwned::Key("keys".into()), SegOwned::Key(p.action)],
                message: format!("[keys] {}", p.message),
            });
        }
        Ok(())
    }
}

/// What is wrong with one stage, if anything: the field to point at and the message.
pub(super) fn stage_problem(
    s: &Stage,
    key: &str,
    seen: &[String],
) -> Option<(&'static str, String)> {
    if key.is_empty() {
        Some((
            "name",
            "[pipeline] stages: a stage has an empty name".to_string(),
        ))
    } else if key == "won" || key == "lost" {
        Some((
            "name",
            format!(
                "[pipeline] stages: {:?} cannot be a stage: won and lost are statuses (`deal won`, `deal lost`)",
                s.name
            ),
        ))
    } else if let Err(why) = crate::domain::fields::check_line("a stage's name", &s.name) {
        Some(("name", format!("[pipeline] stages: {why}")))
    } else if s.probability > 100 {
        Some((
            "probability",
            format!(
                "[pipeline] stages: {:?} has probability {}: use 0 to 100",
                s.name, s.probability
            ),
        ))
    } else if seen.iter().any(|k| k == key) {
        Some((
            "name",
            format!("[pipeline] stages: {:?} is named twice", s.name),
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_pipeline_and_sequence_names_are_one_line_fields() {
        let long = "S".repeat(201);
        for (text, says) in [
            (
                format!(
                    "[pipeline]\nstages = [\n  {{ name = \"{long}\", probability = 10 }},\n]\n"
                ),
                "a stage's name is 201 characters long; at most 200",
            ),
            (
                format!("[pipelines.{long}]\nstages = [{{ name = \"Lead\", probability = 10 }}]\n"),
                "a pipeline's name is 201 characters long",
            ),
            (
                format!(
                    "[sequences.{long}]\nsteps = [{{ after = \"0d\", kind = \"call\", text = \"Hi\" }}]\n"
                ),
                "a sequence's name is 201 characters long",
            ),
        ] {
            let e = Config::parse(&format!("currency = \"EUR\"\n{text}")).unwrap_err();
            let m = e.to_string();
            assert!(m.contains(says), "{m}");
            assert!(m.contains("line "), "{m}");
            assert_eq!(e.exit_code(), 2);
        }
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = Config::parse("currency = \"EUR\"\n[pipeline]\nstale_days = 3\n").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("line 3"), "{m}");
        assert!(m.contains("stale_days"), "{m}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn syntax_error_names_line() {
        let m = Config::parse("currency = \n").unwrap_err().to_string();
        assert!(m.contains("line 1"), "{m}");
    }

    /// Every kind of bad value, each on a known line: the message names that line and the
    /// key, and the whole config is refused (exit 2).
    #[test]
    fn every_invalid_config_names_its_line_and_key() {
        let stages = |body: &str| {
            format!(
                "currency = \"EUR\"\n\n[pipeline]\nstages = [\n  {{ name = \"Lead\", probability = 10 }},\n{body}\n]\n"
            )
        };
        let cases: Vec<(String, usize, &str)> = vec![
            ("currency = \"EURO\"\n".into(), 1, "currency"),
            (
                stages("  { name = \"Won\", probability = 100 },"),
                6,
                "\"Won\"",
            ),
            (
                stages("  { name = \"lost\", probability = 0 },"),
                6,
                "\"lost\"",
            ),
            (
                stages("  { name = \"LEAD\", probability = 20 },"),
                6,
                "named twice",
            ),
            (
                stages("  { name = \" \", probability = 20 },"),
                6,
                "empty name",
            ),
            (
                stages("  { name = \"Demo\", probability = 150 },"),
                6,
                "probability 150",
            ),
            (
                stages("  { name = \"Demo\", probability = 300 },"),
                6,
                "probability",
            ),
            (stages("  { name = \"Demo\" },"), 6, "probability"),
            ("[pipeline]\nstages = []\n".into(), 2, "stages"),
            ("[pipeline]\nstale_days = 3\n".into(), 2, "stale_days"),
            (
                "\n[keys]\ndone = \"d\"\nfly = \"z\"\n".into(),
                4,
                "no action named \"fly\"",
            ),
            (
                "[keys]\n\ndone = \"ctrl-\"\n".into(),
                3,
                "cannot read the key",
            ),
            (
                "[keys]\ndone = \"x\"\nsnooze = \"x\"\n".into(),
                3,
                "bound to both",
            ),
            ("[keys]\ndone = \"  \"\n".into(), 2, "done is empty"),
            (
                "[follow_up]\nnext = \"+2d\"\nsnooze = \"blah\"\n".into(),
                3,
                "snooze = \"blah\"",
            ),
            (
                "[follow_up]\nsnooze = \"+99999999h\"\n".into(),
                2,
                "9999-12-31",
            ),
            (
                "[follow_up]\n\nnext = \"tomorrow 24:00\"\n".into(),
                3,
                "24:00 is not a time",
            ),
            ("[follow_up]\nnext = \"-2h\"\n".into(), 2, "in the past"),
            (
                "[follow_up]\nworkdays = []\n".into(),
                2,
                "workdays is empty",
            ),
            (
                "[follow_up]\nworkdays = [\n  \"mon\",\n  \"funday\",\n]\n".into(),
                4,
                "\"funday\" is not a day",
            ),
            (
                "[follow_up]\nworkdays = [\"mon\", \"Monday\"]\n".into(),
                2,
                "named twice",
            ),
            (
                "[backup]\n# kept copies\nkeep = 0\n".into(),
                3,
                "[backup] keep = 0",
            ),
            ("[backup]\nkeep = -1\n".into(), 2, "keep"),
        ];
        for (text, line, key) in cases {
            let e = Config::parse(&text).expect_err(&text);
            let m = e.to_string();
            assert_eq!(e.exit_code(), 2, "{m}");
            assert!(m.starts_with(&format!("line {line}: ")), "{text:?}\n→ {m}");
            assert!(m.contains(key), "{text:?}\n→ {m}");
        }
    }
}
