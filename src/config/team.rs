//! The team's settings: the sections of a config every desk on a team's server book must
//! share (the money, the pipelines and their stages, when a deal goes stale, the sequences,
//! the referral rules), kept in the book as the TOML of those sections.

use super::Config;
use crate::error::{Error, Result};

/// The top-level keys of a config that are the team's, not the person's.
pub const TEAM_KEYS: &[&str] = &[
    "currency",
    "pipeline",
    "pipelines",
    "referrals",
    "sequences",
];

/// The team sections of the config `text` (a config file), as TOML, checked as a config is;
/// the personal sections (keys, snooze, workdays, reminders, backups) left out.
pub fn team_sections(text: &str) -> Result<String> {
    Config::parse(text)?;
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| Error::input(format!("not a TOML config: {}", e.message())))?;
    let kept: toml::Table = table
        .into_iter()
        .filter(|(k, _)| TEAM_KEYS.contains(&k.as_str()))
        .collect();
    let out = toml::to_string(&kept)
        .map_err(|e| Error::input(format!("the team's settings cannot be written: {e}")))?;
    // What was kept must itself read as a config (its pipelines' order included).
    Config::parse(&out)?;
    Ok(out)
}

/// The top-level sections the team's settings `text` sets, in its order.
pub fn sections(text: &str) -> Vec<String> {
    toml::from_str::<toml::Table>(text)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// The team sections of `text` as JSON (`team settings --json`).
pub fn as_json(text: &str) -> Result<serde_json::Value> {
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| Error::env(format!("the team's settings in the book: {}", e.message())))?;
    serde_json::to_value(&table)
        .map_err(|e| Error::env(format!("the team's settings in the book: {e}")))
}

impl Config {
    /// This config with the team's sections taken from `team` (the book's), the personal
    /// ones kept.
    pub fn with_team(self, team: Config) -> Config {
        Config {
            currency: team.currency,
            pipeline: team.pipeline,
            pipelines: team.pipelines,
            referrals: team.referrals,
            sequences: team.sequences,
            ..self
        }
    }

    /// Whether any team section differs from the defaults: a rep's own pipelines or currency,
    /// which a team's book overrides.
    pub fn sets_team_sections(&self) -> bool {
        let d = Config::default();
        self.currency != d.currency
            || self.pipeline != d.pipeline
            || self.pipelines != d.pipelines
            || self.referrals != d.referrals
            || self.sequences != d.sequences
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
currency = "EUR"

[follow_up]
snooze = "+2d"

[pipelines.sales]
stages = [{ name = "New", probability = 10 }, { name = "Won over", probability = 90 }]

[pipelines.renewals]
stages = [{ name = "Due", probability = 50 }]

[keys]
quit = "Q"
"#;

    #[test]
    fn the_team_sections_are_kept_and_the_personal_left_out() {
        let team = team_sections(FILE).expect("a config");
        assert!(
            team.contains("currency") && team.contains("renewals"),
            "{team}"
        );
        assert!(!team.contains("snooze") && !team.contains("quit"), "{team}");
        let applied = Config::parse("[follow_up]\nsnooze = \"+3d\"\n")
            .expect("personal")
            .with_team(Config::parse(&team).expect("team"));
        assert_eq!(applied.currency(), "EUR");
        assert_eq!(applied.follow_up.snooze, "+3d");
        // The pipelines keep the file's order, not the alphabet's.
        assert_eq!(applied.first_pipeline(), "sales");
        assert!(applied.sets_team_sections());
        assert!(!Config::default().sets_team_sections());
    }

    #[test]
    fn a_broken_file_is_refused_as_a_config_is() {
        for bad in ["currency = 3", "[pipelines.x]\nstages = []", "not toml ="] {
            assert!(team_sections(bad).is_err(), "{bad}");
        }
    }
}
