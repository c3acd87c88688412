//! The user's config: an embedded commented default, overlaid by their file. Unknown keys and
//! bad values are errors that name the line and the key, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::text::fold;

pub const DEFAULT_TOML: &str = include_str!("../assets/config.toml");

/// The range of `[pipeline] stale_after_days`: a day to ten years.
pub const MAX_STALE_DAYS: u32 = 3650;
/// The range of `[backup] keep`.
pub const MAX_BACKUPS_KEPT: u32 = 1000;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub currency: String,
    pub pipeline: Pipeline,
    pub follow_up: FollowUpConfig,
    pub backup: BackupConfig,
    pub keys: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Pipeline {
    pub stages: Vec<Stage>,
    pub stale_after_days: u32,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    pub probability: u8,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpConfig {
    pub snooze: String,
    pub next: String,
    /// The days a date salesdesk picks may fall on (SPEC.md "Workdays").
    pub workdays: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    pub keep: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            pipeline: Pipeline::default(),
            follow_up: FollowUpConfig::default(),
            backup: BackupConfig::default(),
            keys: BTreeMap::new(),
        }
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        let stage = |name: &str, probability| Stage {
            name: name.into(),
            probability,
        };
        Self {
            stages: vec![
                stage("Lead", 10),
                stage("Qualified", 25),
                stage("Proposal", 50),
                stage("Negotiation", 75),
            ],
            stale_after_days: 14,
        }
    }
}

impl Default for FollowUpConfig {
    fn default() -> Self {
        Self {
            snooze: "+1d".into(),
            next: "+2d".into(),
            workdays: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self { keep: 7 }
    }
}

impl Config {
    /// Reads the file if it exists; a missing file means the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(Error::env(format!(
                    "cannot read the config {}: {e}",
                    path.display()
                )));
            }
        };
        // A file that could be read but is no text (the book given as --config, a binary)
        // is a broken config: the input's fault, like a syntax error, not the environment's.
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::input(format!(
                "config {}: not a TOML text file (byte {} is not UTF-8)",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Self::parse(&text).map_err(|e| Error::input(format!("config {}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> Result<Self> {
        let cfg: Config =
            toml::from_str(text).map_err(|e| Error::input(describe_toml_error(text, &e)))?;
        cfg.validate().map_err(|p| Error::input(p.describe(text)))?;
        Ok(cfg)
    }

    /// Every value checked at once, at start, so a bad one stops every command (not only the
    /// key that would use it, minutes later in the TUI).
    fn validate(&self) -> std::result::Result<(), Problem> {
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
            if key.is_empty() {
                return Err(Problem::at(
                    &at("name"),
                    "[pipeline] stages: a stage has an empty name",
                ));
            }
            if key == "won" || key == "lost" {
                return Err(Problem::at(
                    &at("name"),
                    format!(
                        "[pipeline] stages: {:?} cannot be a stage: won and lost are statuses (`deal won`, `deal lost`)",
                        s.name
                    ),
                ));
            }
            if s.probability > 100 {
                return Err(Problem::at(
                    &at("probability"),
                    format!(
                        "[pipeline] stages: {:?} has probability {}: use 0 to 100",
                        s.name, s.probability
                    ),
                ));
            }
            if seen.contains(&key) {
                return Err(Problem::at(
                    &at("name"),
                    format!("[pipeline] stages: {:?} is named twice", s.name),
                ));
            }
            seen.push(key);
        }
        // Any fixed moment does: a WHEN that reads on one day reads on every other.
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
        if self.follow_up.workdays.is_empty() {
            return Err(Problem::at(
                &[Seg::Key("follow_up"), Seg::Key("workdays")],
                "[follow_up] workdays is empty; name at least one day, such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            ));
        }
        let mut days = Vec::new();
        for (i, d) in self.follow_up.workdays.iter().enumerate() {
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
        // Numbers a person typed, each with its range (a day count becomes date arithmetic).
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
        if let Err(p) = crate::tui::keymap::Keymap::build(&self.keys) {
            return Err(Problem {
                path: vec![SegOwned::Key("keys".into()), SegOwned::Key(p.action)],
                message: format!("[keys] {}", p.message),
            });
        }
        Ok(())
    }

    /// A WHEN salesdesk picks by itself (a snooze key, the pre-filled next step): read as
    /// typed, then moved to the next workday if it falls on a day off.
    pub fn pick(
        &self,
        words: &str,
        now: chrono::NaiveDateTime,
    ) -> std::result::Result<crate::when::When, crate::when::WhenError> {
        let w = crate::when::parse(words, now)?;
        Ok(crate::domain::workdays::picked(w, &self.workdays()))
    }

    /// The configured workdays, Monday to Friday when none can be read (validation refuses
    /// that before anything runs).
    pub fn workdays(&self) -> Vec<chrono::Weekday> {
        let days: Vec<chrono::Weekday> = self
            .follow_up
            .workdays
            .iter()
            .filter_map(|d| crate::domain::workdays::parse_day(d))
            .collect();
        if days.is_empty() {
            crate::domain::workdays::DEFAULT.to_vec()
        } else {
            days
        }
    }

    pub fn currency(&self) -> String {
        self.currency.trim().to_ascii_uppercase()
    }

    /// The probability of a stage, 0 when the config no longer names it.
    pub fn probability(&self, stage: &str) -> u8 {
        let key = stage_key(stage);
        self.pipeline
            .stages
            .iter()
            .find(|s| stage_key(&s.name) == key)
            .map_or(0, |s| s.probability)
    }

    /// STAGE as SPEC.md reads it: case- and space-insensitive, or a prefix naming one stage.
    pub fn resolve_stage(&self, input: &str) -> Result<String> {
        let key = stage_key(input);
        let names: Vec<&str> = self
            .pipeline
            .stages
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        if key == "won" || key == "lost" {
            return Err(Error::input(format!(
                "{input:?} is a status, not a stage: use `deal {key} DEAL`"
            )));
        }
        if let Some(s) = names.iter().find(|n| stage_key(n) == key) {
            return Ok(s.to_string());
        }
        let hits: Vec<&&str> = names
            .iter()
            .filter(|n| !key.is_empty() && stage_key(n).starts_with(&key))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Error::input(format!(
                "no stage {input:?}; the stages are: {}",
                names.join(", ")
            ))),
            many => Err(Error::input(format!(
                "{input:?} names several stages: {}",
                many.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    pub fn first_stage(&self) -> String {
        self.pipeline
            .stages
            .first()
            .map_or_else(|| "Lead".into(), |s| s.name.clone())
    }

    pub fn stage_index(&self, stage: &str) -> Option<usize> {
        let key = stage_key(stage);
        self.pipeline
            .stages
            .iter()
            .position(|s| stage_key(&s.name) == key)
    }
}

pub fn stage_key(s: &str) -> String {
    fold(s).replace(' ', "")
}

/// One step of the way to a value in the document: a table key or an array index.
#[derive(Debug, Clone, Copy)]
enum Seg {
    Key(&'static str),
    Index(usize),
}

#[derive(Debug, Clone)]
enum SegOwned {
    Key(String),
    Index(usize),
}

/// A value the config holds that salesdesk cannot use, and where it sits.
#[derive(Debug, Clone)]
struct Problem {
    path: Vec<SegOwned>,
    message: String,
}

impl Problem {
    fn at(path: &[Seg], message: impl Into<String>) -> Self {
        Problem {
            path: path
                .iter()
                .map(|s| match *s {
                    Seg::Key(k) => SegOwned::Key(k.to_string()),
                    Seg::Index(i) => SegOwned::Index(i),
                })
                .collect(),
            message: message.into(),
        }
    }

    /// `line 12: [pipeline] stages: …`, the line found from the document's own spans.
    fn describe(&self, text: &str) -> String {
        match locate(text, &self.path) {
            Some(line) => format!("line {line}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// The line of the value at `path`, or of the nearest enclosing one the document has
/// (a value left to its default has no line of its own).
fn locate(text: &str, path: &[SegOwned]) -> Option<usize> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let mut span = None;
    let mut here: Option<&toml::de::DeValue<'_>> = None;
    let mut table = Some(doc.get_ref());
    for seg in path {
        let next = match (seg, table, here) {
            (SegOwned::Key(k), Some(t), _) => t
                .iter()
                .find(|(name, _)| name.get_ref().as_ref() == k.as_str())
                .map(|(name, v)| (name.span(), v)),
            (SegOwned::Index(i), _, Some(toml::de::DeValue::Array(a))) => {
                a.get(*i).map(|v| (v.span(), v))
            }
            _ => None,
        };
        let Some((s, v)) = next else { break };
        span = Some(s);
        here = Some(v.get_ref());
        table = match v.get_ref() {
            toml::de::DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    let start = span?.start.min(text.len());
    Some(text[..start].matches('\n').count() + 1)
}

/// toml's message, with the line and the key made explicit even when toml gives a span only.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let snippet = text.lines().nth(line - 1).unwrap_or("").trim();
            format!("line {line}: {msg} (at `{snippet}`)")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_parses_to_the_defaults() {
        assert_eq!(Config::parse(DEFAULT_TOML).unwrap(), Config::default());
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

    #[test]
    fn won_is_not_a_stage() {
        let t = "[pipeline]\nstages = [{ name = \"Won\", probability = 100 }]\n";
        assert!(Config::parse(t).unwrap_err().to_string().contains("status"));
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

    #[test]
    fn workdays_default_and_configured() {
        use chrono::Weekday::*;
        assert_eq!(Config::default().workdays(), vec![Mon, Tue, Wed, Thu, Fri]);
        let c = Config::parse("[follow_up]\nworkdays = [\"sun\", \"mon\"]\n").unwrap();
        assert_eq!(c.workdays(), vec![Sun, Mon]);
    }

    #[test]
    fn stages_resolve_by_prefix_and_case() {
        let c = Config::default();
        assert_eq!(c.resolve_stage("prop").unwrap(), "Proposal");
        assert_eq!(c.resolve_stage("NEGOTIATION").unwrap(), "Negotiation");
        assert!(c.resolve_stage("x").is_err());
        assert!(c.resolve_stage("won").is_err());
    }
}
