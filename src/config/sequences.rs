//! `[sequences.NAME]`: each sequence's steps and what stops it, checked at start like the
//! stages (an unknown kind, a bad `after`, an empty list, an unknown stop condition: exit 2
//! naming the line).

use serde::Deserialize;

use super::Config;
use super::problem::{Problem, SegOwned};
use crate::domain::follow_up::FollowUpKind;
use crate::domain::sequence::{Step, StopOn, parse_after};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SequenceConfig {
    pub steps: Vec<StepConfig>,
    #[serde(default = "default_stop_on")]
    pub stop_on: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    pub after: String,
    pub kind: String,
    pub text: String,
}

fn default_stop_on() -> Vec<String> {
    StopOn::ALL.iter().map(|s| s.as_str().to_string()).collect()
}

fn at(name: &str, tail: &[SegOwned]) -> Vec<SegOwned> {
    let mut p = vec![
        SegOwned::Key("sequences".into()),
        SegOwned::Key(name.to_string()),
    ];
    p.extend(tail.iter().cloned());
    p
}

fn problem(path: Vec<SegOwned>, message: String) -> Problem {
    Problem { path, message }
}

impl SequenceConfig {
    /// The steps as an enrolment keeps them (validation has read every one).
    pub fn steps(&self) -> Vec<Step> {
        self.steps
            .iter()
            .filter_map(|s| {
                Some(Step {
                    after: s.after.trim().to_string(),
                    kind: s.kind.parse().ok()?,
                    text: s.text.trim().to_string(),
                })
            })
            .collect()
    }

    pub fn stop_on(&self) -> Vec<StopOn> {
        self.stop_on.iter().filter_map(|s| s.parse().ok()).collect()
    }
}

impl Config {
    /// The sequence named `name` (case-insensitive), with its configured name.
    pub fn sequence(&self, name: &str) -> Option<(&str, &SequenceConfig)> {
        let want = name.trim().to_lowercase();
        self.sequences
            .iter()
            .find(|(n, _)| n.to_lowercase() == want)
            .map(|(n, s)| (n.as_str(), s))
    }

    pub(super) fn check_sequences(&self) -> Result<(), Problem> {
        let mut seen: Vec<String> = Vec::new();
        for (name, seq) in &self.sequences {
            check_one(name, seq)?;
            // Names are matched in any case: two that differ only in case could not both be
            // reached.
            let key = name.to_lowercase();
            if let Some(other) = self
                .sequences
                .keys()
                .find(|n| *n != name && n.to_lowercase() == key)
                && !seen.contains(&key)
            {
                return Err(problem(
                    at(name, &[]),
                    format!(
                        "[sequences.{name}] and [sequences.{other}] differ only in case; \
                         sequences are named in any case, so rename one"
                    ),
                ));
            }
            seen.push(key);
        }
        Ok(())
    }
}

fn check_one(name: &str, seq: &SequenceConfig) -> Result<(), Problem> {
    let label = format!("[sequences.{name}]");
    if name.trim().is_empty() || name.chars().any(char::is_whitespace) {
        return Err(problem(
            at(name, &[]),
            format!("{label}: a sequence's name is one word, such as new-lead"),
        ));
    }
    if let Err(why) = crate::domain::fields::check_line("a sequence's name", name) {
        return Err(problem(at(name, &[]), format!("[sequences]: {why}")));
    }
    if seq.steps.is_empty() {
        return Err(problem(
            at(name, &[SegOwned::Key("steps".into())]),
            format!(
                "{label} steps is empty; give at least one {{ after = \"0d\", kind = \"call\", text = \"Intro call\" }}"
            ),
        ));
    }
    for (i, s) in seq.steps.iter().enumerate() {
        let field = |f: &str| {
            at(
                name,
                &[
                    SegOwned::Key("steps".into()),
                    SegOwned::Index(i),
                    SegOwned::Key(f.into()),
                ],
            )
        };
        if s.kind.parse::<FollowUpKind>().is_err() {
            return Err(problem(
                field("kind"),
                format!(
                    "{label} step {}: kind {:?} is not a follow-up kind; use one of: {}",
                    i + 1,
                    s.kind,
                    FollowUpKind::words()
                ),
            ));
        }
        if parse_after(&s.after).is_none() {
            return Err(problem(
                field("after"),
                format!(
                    "{label} step {}: after = {:?} is no delay; use 0d, 2d, 1w or 1m",
                    i + 1,
                    s.after
                ),
            ));
        }
    }
    for (i, s) in seq.stop_on.iter().enumerate() {
        if s.parse::<StopOn>().is_err() {
            return Err(problem(
                at(name, &[SegOwned::Key("stop_on".into()), SegOwned::Index(i)]),
                format!(
                    "{label} stop_on: {s:?} is no stop condition; use any of: {}",
                    StopOn::words()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const GOOD: &str = r#"
[sequences.new-lead]
steps = [
  { after = "0d", kind = "call",  text = "Intro call" },
  { after = "2d", kind = "email", text = "Send the case study" },
  { after = "3d", kind = "call",  text = "Second call" },
]
"#;

    fn err(text: &str) -> String {
        Config::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_sequence_reads_with_the_default_stops() {
        let c = Config::parse(GOOD).unwrap();
        let (name, s) = c.sequence("NEW-LEAD").unwrap();
        assert_eq!(name, "new-lead");
        assert_eq!(s.steps().len(), 3);
        assert_eq!(s.stop_on().len(), 4);
    }

    #[test]
    fn each_broken_sequence_names_its_line() {
        let kind = GOOD.replace("\"email\"", "\"fax\"");
        assert!(err(&kind).starts_with("line 5: "), "{}", err(&kind));
        assert!(err(&kind).contains("fax"));
        let after = GOOD.replace("\"3d\"", "\"someday\"");
        assert!(err(&after).starts_with("line 6: "), "{}", err(&after));
        let empty = "[sequences.x]\nsteps = []\n";
        assert!(err(empty).starts_with("line 2: "), "{}", err(empty));
        let stop = format!("{GOOD}stop_on = [\"replied\", \"bored\"]\n");
        assert!(err(&stop).starts_with("line 8: "), "{}", err(&stop));
        assert!(err(&stop).contains("bored"));
    }
}
