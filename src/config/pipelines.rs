//! `[pipelines.NAME]` (several boards, in the order the file names them, the first the
//! default), the old single `[pipeline]` read as one named `sales`, and `[referrals]`.

use std::borrow::Cow;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Config, Stage, stage_key};
use crate::error::{Error, Result};

/// The name the old single `[pipeline]` goes by, and the pipeline an upgraded book's deals
/// are in.
pub const LEGACY_NAME: &str = "sales";
/// Where the deals of a pipeline the config no longer names show: nothing is hidden.
pub const UNFILED: &str = "Unfiled";

/// One pipeline: its name (the table's key), its stages and what a win there renews into.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PipelineDef {
    #[serde(skip)]
    pub name: String,
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub renew: Option<Renew>,
}

/// `renew = { into, after }`: a win opens `Renewal: TITLE` in `into`, with a follow-up
/// `after` the win.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Renew {
    pub into: String,
    pub after: String,
}

/// `[pipelines.*]` in the file's order (a map would sort them, and the first is the default).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pipelines(pub Vec<PipelineDef>);

impl<'de> Deserialize<'de> for Pipelines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Pipelines;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("tables [pipelines.NAME] with stages")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Pipelines, A::Error> {
                let mut all = Vec::new();
                while let Some((name, mut def)) = map.next_entry::<String, PipelineDef>()? {
                    def.name = name;
                    all.push(def);
                }
                Ok(Pipelines(all))
            }
        }
        d.deserialize_map(Ordered)
    }
}

impl Pipelines {
    /// Puts the pipelines in the order the file names them (the parser hands tables over
    /// sorted by name), found from the document's own spans.
    pub(super) fn order_as_in(&mut self, text: &str) {
        let Ok(doc) = toml::de::DeTable::parse(text) else {
            return;
        };
        let Some(toml::de::DeValue::Table(t)) = doc
            .get_ref()
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "pipelines")
            .map(|(_, v)| v.get_ref())
        else {
            return;
        };
        let at = |name: &str| {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == name)
                .map_or(usize::MAX, |(k, _)| k.span().start)
        };
        self.0.sort_by_cached_key(|p| at(&p.name));
    }
}

/// `[referrals]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Referrals {
    /// How long after a win the referral ask is due; empty: no ask.
    pub ask_after: String,
}

impl Default for Referrals {
    fn default() -> Self {
        Self {
            ask_after: "30d".into(),
        }
    }
}

impl Config {
    /// The pipelines, first the default: `[pipelines.*]`, else `[pipeline]` as `sales`.
    pub fn pipelines(&self) -> Cow<'_, [PipelineDef]> {
        if self.pipelines.0.is_empty() {
            Cow::Owned(vec![PipelineDef {
                name: LEGACY_NAME.into(),
                stages: self.pipeline.stages.clone(),
                renew: None,
            }])
        } else {
            Cow::Borrowed(&self.pipelines.0)
        }
    }

    pub fn pipeline_names(&self) -> Vec<String> {
        self.pipelines().iter().map(|p| p.name.clone()).collect()
    }

    pub fn first_pipeline(&self) -> String {
        self.pipelines()
            .first()
            .map_or_else(|| LEGACY_NAME.into(), |p| p.name.clone())
    }

    /// The pipeline named `name` (case and spaces aside), None when the config lacks it.
    pub fn pipeline_def(&self, name: &str) -> Option<PipelineDef> {
        let key = stage_key(name);
        self.pipelines()
            .iter()
            .find(|p| stage_key(&p.name) == key)
            .cloned()
    }

    /// Whether deals of the stored pipeline `name` show under Unfiled.
    pub fn is_unfiled(&self, name: &str) -> bool {
        self.pipeline_def(name).is_none()
    }

    /// PIPELINE as typed: a name in any case, or a prefix naming one; `unfiled` too when
    /// `unfiled_ok` (listing and reports, never a place to put a deal).
    pub fn resolve_pipeline(&self, input: &str, unfiled_ok: bool) -> Result<String> {
        let key = stage_key(input);
        let names = self.pipeline_names();
        if unfiled_ok && key == stage_key(UNFILED) {
            return Ok(UNFILED.into());
        }
        if let Some(n) = names.iter().find(|n| stage_key(n) == key) {
            return Ok(n.clone());
        }
        let hits: Vec<&String> = names
            .iter()
            .filter(|n| !key.is_empty() && stage_key(n).starts_with(&key))
            .collect();
        match hits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::input(format!(
                "no pipeline {input:?}; the pipelines are: {}",
                names.join(", ")
            ))),
            many => Err(Error::input(format!(
                "{input:?} names several pipelines: {}",
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The deals of pipeline `name` as a list filter: Unfiled is those in no configured one.
    pub fn pipeline_filter(&self, name: &str) -> crate::domain::deal::PipelineFilter {
        use crate::domain::deal::PipelineFilter;
        if name == UNFILED {
            PipelineFilter::NoneOf(self.pipeline_names())
        } else {
            PipelineFilter::Is(name.to_string())
        }
    }

    /// The stages of pipeline `name`, none when the config no longer names it.
    pub fn stages_of(&self, name: &str) -> Vec<Stage> {
        self.pipeline_def(name)
            .map(|p| p.stages)
            .unwrap_or_default()
    }

    /// STAGE within pipeline `pipeline`; a stage of another pipeline is refused naming
    /// this pipeline's stages.
    pub fn resolve_stage_in(&self, pipeline: &str, input: &str) -> Result<String> {
        let stages = self.stages_of(pipeline);
        if stages.is_empty() {
            return Err(Error::input(format!(
                "deals in pipeline {pipeline:?} show under {UNFILED}: the config names no such \
                 pipeline; move the deal with `deal edit DEAL --pipeline P`"
            )));
        }
        let several = self.pipelines().len() > 1;
        super::resolve_stage_among(&stages, input).map_err(|e| match several {
            true => Error::input(format!("pipeline {pipeline}: {e}")),
            false => e,
        })
    }

    /// A stage of any pipeline (a note's `#stage`, before its deal is known), the first
    /// pipeline's first.
    pub fn resolve_stage_any(&self, input: &str) -> Option<String> {
        self.pipelines()
            .iter()
            .find_map(|p| super::resolve_stage_among(&p.stages, input).ok())
    }

    pub fn first_stage_in(&self, pipeline: &str) -> String {
        self.stages_of(pipeline)
            .first()
            .map_or_else(|| self.first_stage(), |s| s.name.clone())
    }

    /// The probability of a stage in a pipeline, 0 when the config no longer names it.
    pub fn probability_in(&self, pipeline: &str, stage: &str) -> u8 {
        let key = stage_key(stage);
        self.stages_of(pipeline)
            .iter()
            .find(|s| stage_key(&s.name) == key)
            .map_or(0, |s| s.probability)
    }

    pub fn stage_index_in(&self, pipeline: &str, stage: &str) -> Option<usize> {
        let key = stage_key(stage);
        self.stages_of(pipeline)
            .iter()
            .position(|s| stage_key(&s.name) == key)
    }

    /// The ask's delay after a win, None when `[referrals] ask_after = ""`.
    pub fn referral_ask_after(&self) -> Option<crate::when::Interval> {
        let s = self.referrals.ask_after.trim();
        if s.is_empty() {
            return None;
        }
        crate::when::Interval::parse(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }, { name = \"Proposal\", probability = 50 }]\nrenew = { into = \"renewals\", after = \"11m\" }\n[pipelines.renewals]\nstages = [{ name = \"Upcoming\", probability = 70 }, { name = \"Quoted\", probability = 85 }]\n[referrals]\nask_after = \"30d\"\n";

    #[test]
    fn pipelines_keep_the_file_order() {
        let c = Config::parse(TWO).unwrap();
        assert_eq!(c.pipeline_names(), vec!["sales", "renewals"]);
        let c = Config::parse(&TWO.replace("pipelines.sales", "pipelines.zebra")).unwrap();
        assert_eq!(c.first_pipeline(), "zebra");
        assert_eq!(
            c.pipeline_def("zebra").unwrap().renew.unwrap().into,
            "renewals"
        );
    }

    #[test]
    fn the_old_single_pipeline_is_sales() {
        let c = Config::parse(
            "[pipeline]\nstages = [{ name = \"Cold\", probability = 5 }]\nstale_after_days = 9\n",
        )
        .unwrap();
        assert_eq!(c.pipeline_names(), vec!["sales"]);
        assert_eq!(c.first_stage_in("sales"), "Cold");
        assert_eq!(c.pipeline.stale_after_days, 9);
        assert_eq!(Config::default().pipeline_names(), vec!["sales"]);
    }

    #[test]
    fn stages_resolve_within_their_pipeline() {
        let c = Config::parse(TWO).unwrap();
        assert_eq!(c.resolve_stage_in("renewals", "quo").unwrap(), "Quoted");
        let e = c.resolve_stage_in("sales", "quoted").unwrap_err();
        assert!(e.to_string().contains("Lead, Proposal"), "{e}");
        assert_eq!(c.probability_in("renewals", "upcoming"), 70);
        assert_eq!(c.probability_in("sales", "upcoming"), 0);
        assert_eq!(c.resolve_pipeline("REN", false).unwrap(), "renewals");
        assert!(c.resolve_pipeline("unfiled", false).is_err());
        assert_eq!(c.resolve_pipeline("unfiled", true).unwrap(), UNFILED);
        assert!(c.is_unfiled("gone"));
    }

    #[test]
    fn referral_ask_default_and_off() {
        assert_eq!(
            Config::default()
                .referral_ask_after()
                .map(|i| i.approx_days()),
            Some(30)
        );
        let c = Config::parse("[referrals]\nask_after = \"\"\n").unwrap();
        assert!(c.referral_ask_after().is_none());
    }
}
