//! The user's config: an embedded commented default, overlaid by their file. Unknown keys and
//! bad values are errors that name the line and the key, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::error::{Error, Result};
use crate::text::fold;

mod pipelines;
mod problem;
pub mod remind;
mod sequences;
pub mod team;
mod validate;
mod validate_pipelines;

pub use pipelines::{LEGACY_NAME, PipelineDef, Pipelines, Referrals, Renew, UNFILED};

pub use sequences::{SequenceConfig, StepConfig};

use problem::describe_toml_error;

pub const DEFAULT_TOML: &str = include_str!("../../assets/config.toml");

/// The range of `[pipeline] stale_after_days`: a day to ten years.
pub const MAX_STALE_DAYS: u32 = 3650;
/// The range of `[backup] keep`.
pub const MAX_BACKUPS_KEPT: u32 = 1000;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub currency: String,
    pub pipeline: Pipeline,
    /// `[pipelines.NAME]`, in the file's order; empty: `[pipeline]` is the one, `sales`.
    pub pipelines: Pipelines,
    pub referrals: Referrals,
    pub follow_up: FollowUpConfig,
    pub backup: BackupConfig,
    pub remind: remind::RemindConfig,
    pub keys: BTreeMap<String, String>,
    /// `[sequences.NAME]` (docs/MANUAL.md, "Sequences").
    pub sequences: BTreeMap<String, SequenceConfig>,
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
    /// The days a date salesdesk picks may fall on (docs/MANUAL.md, "Saying when").
    pub workdays: Workdays,
}

/// `[follow_up] workdays` as written (validation names them), with the days read once, when
/// the config is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Workdays {
    names: Vec<String>,
    days: Vec<chrono::Weekday>,
}

impl Workdays {
    pub fn new(names: Vec<String>) -> Self {
        let days: Vec<chrono::Weekday> = names
            .iter()
            .filter_map(|d| crate::domain::workdays::parse_day(d))
            .collect();
        // Monday to Friday when none can be read (validation refuses that before anything
        // runs).
        let days = if days.is_empty() {
            crate::domain::workdays::DEFAULT.to_vec()
        } else {
            days
        };
        Self { names, days }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

impl<'de> Deserialize<'de> for Workdays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Vec::<String>::deserialize(d).map(Self::new)
    }
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
            pipelines: Pipelines::default(),
            referrals: Referrals::default(),
            follow_up: FollowUpConfig::default(),
            backup: BackupConfig::default(),
            remind: remind::RemindConfig::default(),
            keys: BTreeMap::new(),
            sequences: BTreeMap::new(),
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
            workdays: Workdays::new(
                ["mon", "tue", "wed", "thu", "fri"]
                    .map(String::from)
                    .to_vec(),
            ),
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
        let mut cfg: Config =
            toml::from_str(text).map_err(|e| Error::input(describe_toml_error(text, &e)))?;
        cfg.pipelines.order_as_in(text);
        cfg.validate().map_err(|p| Error::input(p.describe(text)))?;
        cfg.check_one_kind_of_pipeline(text)
            .map_err(|p| Error::input(p.describe(text)))?;
        Ok(cfg)
    }

    /// A WHEN salesdesk picks by itself (a snooze key, the pre-filled next step): read as
    /// typed, then moved to the next workday if it falls on a day off.
    pub fn pick(
        &self,
        words: &str,
        now: chrono::NaiveDateTime,
    ) -> std::result::Result<crate::when::When, crate::when::WhenError> {
        let w = crate::when::parse(words, now)?;
        Ok(crate::domain::workdays::picked(
            w,
            &self.follow_up.workdays.days,
        ))
    }

    /// The configured workdays, Monday to Friday when none can be read (validation refuses
    /// that before anything runs).
    pub fn workdays(&self) -> Vec<chrono::Weekday> {
        self.follow_up.workdays.days.clone()
    }

    pub fn currency(&self) -> String {
        self.currency.trim().to_ascii_uppercase()
    }

    /// The probability of a stage of the first pipeline, 0 when the config no longer names it.
    pub fn probability(&self, stage: &str) -> u8 {
        self.probability_in(&self.first_pipeline(), stage)
    }

    /// STAGE of the first pipeline, as docs/MANUAL.md reads it.
    pub fn resolve_stage(&self, input: &str) -> Result<String> {
        self.resolve_stage_in(&self.first_pipeline(), input)
    }

    pub fn first_stage(&self) -> String {
        self.pipelines()
            .first()
            .and_then(|p| p.stages.first())
            .map_or_else(|| "Lead".into(), |s| s.name.clone())
    }

    pub fn stage_index(&self, stage: &str) -> Option<usize> {
        self.stage_index_in(&self.first_pipeline(), stage)
    }
}

/// STAGE among `stages`: case- and space-insensitive, or a prefix naming one stage.
fn resolve_stage_among(stages: &[Stage], input: &str) -> Result<String> {
    let key = stage_key(input);
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
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

pub fn stage_key(s: &str) -> String {
    fold(s).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_parses_to_the_defaults() {
        assert_eq!(Config::parse(DEFAULT_TOML).unwrap(), Config::default());
    }

    #[test]
    fn won_is_not_a_stage() {
        let t = "[pipeline]\nstages = [{ name = \"Won\", probability = 100 }]\n";
        assert!(Config::parse(t).unwrap_err().to_string().contains("status"));
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
