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
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(Error::env(format!(
                    "cannot read the config {}: {e}",
                    path.display()
                )));
            }
        };
        Self::parse(&text).map_err(|e| Error::input(format!("config {}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> Result<Self> {
        let cfg: Config =
            toml::from_str(text).map_err(|e| Error::input(describe_toml_error(text, &e)))?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<()> {
        let cur = self.currency.trim();
        if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::input(format!(
                "currency = {:?}: use a three-letter code such as USD or EUR",
                self.currency
            )));
        }
        if self.pipeline.stages.is_empty() {
            return Err(Error::input("[pipeline] stages: name at least one stage"));
        }
        let mut seen = Vec::new();
        for s in &self.pipeline.stages {
            let key = stage_key(&s.name);
            if key.is_empty() {
                return Err(Error::input("[pipeline] stages: a stage has an empty name"));
            }
            if key == "won" || key == "lost" {
                return Err(Error::input(format!(
                    "[pipeline] stages: {:?} cannot be a stage: won and lost are statuses (`deal won`, `deal lost`)",
                    s.name
                )));
            }
            if s.probability > 100 {
                return Err(Error::input(format!(
                    "[pipeline] stages: {:?} has probability {}: use 0 to 100",
                    s.name, s.probability
                )));
            }
            if seen.contains(&key) {
                return Err(Error::input(format!(
                    "[pipeline] stages: {:?} is named twice",
                    s.name
                )));
            }
            seen.push(key);
        }
        // Numbers a person typed, each with its range (a day count becomes date arithmetic).
        let p = &self.pipeline;
        if !(1..=MAX_STALE_DAYS).contains(&p.stale_after_days) {
            return Err(Error::input(format!(
                "[pipeline] stale_after_days = {}: use 1 to {MAX_STALE_DAYS}",
                p.stale_after_days
            )));
        }
        if !(1..=MAX_BACKUPS_KEPT).contains(&self.backup.keep) {
            return Err(Error::input(format!(
                "[backup] keep = {}: use 1 to {MAX_BACKUPS_KEPT}",
                self.backup.keep
            )));
        }
        Ok(())
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

    #[test]
    fn stages_resolve_by_prefix_and_case() {
        let c = Config::default();
        assert_eq!(c.resolve_stage("prop").unwrap(), "Proposal");
        assert_eq!(c.resolve_stage("NEGOTIATION").unwrap(), "Negotiation");
        assert!(c.resolve_stage("x").is_err());
        assert!(c.resolve_stage("won").is_err());
    }
}
