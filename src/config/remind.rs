//! `[remind]`: when the reminders pass speaks and how (docs/MANUAL.md, "Reminders").

use chrono::{Duration, NaiveTime};
use serde::Deserialize;

use super::problem::{Problem, Seg};
use crate::domain::remind::{self, Quiet, Via};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RemindConfig {
    /// How far back a pass sends what it missed (a laptop asleep): `12h`.
    pub catch_up: String,
    /// The morning summary's time on a workday: `08:30`.
    pub morning: String,
    /// `20:00-08:00`: nothing is sent in between; empty: never quiet.
    pub quiet: String,
    pub via: Vec<String>,
    /// The program and its first arguments for `via = ["command"]`.
    pub command: Vec<String>,
    /// The open desk rings the terminal bell when a follow-up comes due.
    pub bell: bool,
}

impl Default for RemindConfig {
    fn default() -> Self {
        Self {
            catch_up: "12h".into(),
            morning: "08:30".into(),
            quiet: String::new(),
            via: vec!["desktop".into()],
            command: Vec::new(),
            bell: false,
        }
    }
}

impl RemindConfig {
    pub fn catch_up(&self) -> Duration {
        remind::parse_span(&self.catch_up).unwrap_or(Duration::hours(12))
    }

    pub fn morning(&self) -> NaiveTime {
        remind::clock_time(&self.morning).unwrap_or(NaiveTime::MIN)
    }

    pub fn quiet(&self) -> Option<Quiet> {
        Quiet::parse(&self.quiet)
    }

    /// The ways to deliver, each once, in the order written.
    pub fn via(&self) -> Vec<Via> {
        let mut out = Vec::new();
        for v in self.via.iter().filter_map(|v| Via::parse(v)) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }

    pub(super) fn check(&self) -> std::result::Result<(), Problem> {
        let key = |k| [Seg::Key("remind"), Seg::Key(k)];
        if remind::parse_span(&self.catch_up).is_none() {
            return Err(Problem::at(
                &key("catch_up"),
                format!(
                    "[remind] catch_up = {:?}: use minutes, hours, days or weeks, from 1min to 30d, such as \"12h\"",
                    self.catch_up
                ),
            ));
        }
        if remind::clock_time(&self.morning).is_none() {
            return Err(Problem::at(
                &key("morning"),
                format!(
                    "[remind] morning = {:?}: use a time of day such as \"08:30\"",
                    self.morning
                ),
            ));
        }
        if !self.quiet.trim().is_empty() && Quiet::parse(&self.quiet).is_none() {
            return Err(Problem::at(
                &key("quiet"),
                format!(
                    "[remind] quiet = {:?}: use two different times such as \"20:00-08:00\", or \"\" for none",
                    self.quiet
                ),
            ));
        }
        self.check_via()
    }

    fn check_via(&self) -> std::result::Result<(), Problem> {
        if self.via.is_empty() {
            return Err(Problem::at(
                &[Seg::Key("remind"), Seg::Key("via")],
                format!(
                    "[remind] via is empty; name at least one of: {}",
                    Via::NAMES
                ),
            ));
        }
        for (i, v) in self.via.iter().enumerate() {
            if Via::parse(v).is_none() {
                return Err(Problem::at(
                    &[Seg::Key("remind"), Seg::Key("via"), Seg::Index(i)],
                    format!(
                        "[remind] via: {v:?} is not a way to remind; use {}",
                        Via::NAMES
                    ),
                ));
            }
        }
        let wants_command = self.via().contains(&Via::Command);
        if wants_command && self.command.first().is_none_or(|p| p.trim().is_empty()) {
            return Err(Problem::at(
                &[Seg::Key("remind"), Seg::Key("via")],
                "[remind] via names \"command\", but [remind] command does not name a program; \
                 set command = [\"ntfy\", \"publish\", \"mytopic\"], say",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn err(toml: &str) -> String {
        Config::parse(toml).unwrap_err().to_string()
    }

    #[test]
    fn defaults_and_a_full_section() {
        let c = Config::default().remind;
        assert_eq!(c.catch_up(), chrono::Duration::hours(12));
        assert_eq!(c.morning().to_string(), "08:30:00");
        assert_eq!(c.quiet(), None);
        assert_eq!(c.via(), vec![crate::domain::remind::Via::Desktop]);
        let c = Config::parse(
            "[remind]\ncatch_up = \"2h\"\nquiet = \"20:00-08:00\"\nvia = [\"print\", \"command\", \"print\"]\ncommand = [\"ntfy\", \"publish\"]\nbell = true\n",
        )
        .unwrap()
        .remind;
        assert_eq!(c.via().len(), 2);
        assert!(c.bell && c.quiet().is_some());
    }

    #[test]
    fn each_bad_value_names_its_line() {
        for (toml, line, says) in [
            ("[remind]\ncatch_up = \"1m\"\n", 2, "catch_up"),
            ("[remind]\n\nmorning = \"8h\"\n", 3, "morning"),
            ("[remind]\nquiet = \"20:00\"\n", 2, "quiet"),
            ("[remind]\nvia = []\n", 2, "via is empty"),
            ("[remind]\nvia = [\"desktop\", \"sms\"]\n", 2, "\"sms\""),
            (
                "[remind]\nvia = [\"command\"]\n",
                2,
                "does not name a program",
            ),
            ("[remind]\nsnooze = 1\n", 2, "snooze"),
        ] {
            let e = err(toml);
            assert!(e.contains(&format!("line {line}")), "{toml}: {e}");
            assert!(e.contains(says), "{toml}: {e}");
        }
    }
}
