//! The checks of `[pipelines.*]` and `[referrals]`: each pipeline's stages as `[pipeline]`'s,
//! no two pipelines named alike, `renew` into a pipeline that exists after an interval that
//! reads, and stages named in one kind of table only.

use super::problem::{Problem, SegOwned};
use super::validate::stage_problem;
use super::{Config, PipelineDef, UNFILED, stage_key};

type Checked = std::result::Result<(), Problem>;

fn at(name: &str, rest: &[SegOwned]) -> Vec<SegOwned> {
    let mut path = vec![
        SegOwned::Key("pipelines".into()),
        SegOwned::Key(name.to_string()),
    ];
    path.extend_from_slice(rest);
    path
}

fn problem(path: Vec<SegOwned>, message: String) -> Problem {
    Problem { path, message }
}

impl Config {
    pub(super) fn check_pipelines(&self) -> Checked {
        let mut seen: Vec<String> = Vec::new();
        for p in &self.pipelines.0 {
            let key = stage_key(&p.name);
            if key.is_empty() || key == stage_key(UNFILED) {
                return Err(problem(
                    at(&p.name, &[]),
                    format!(
                        "[pipelines.{:?}]: name a pipeline with letters, other than {UNFILED} (where deals of a pipeline no longer named show)",
                        p.name
                    ),
                ));
            }
            if let Err(why) = crate::domain::fields::check_line("a pipeline's name", &p.name) {
                return Err(problem(at(&p.name, &[]), format!("[pipelines]: {why}")));
            }
            if seen.contains(&key) {
                return Err(problem(
                    at(&p.name, &[]),
                    format!(
                        "[pipelines.{}] is named twice (case and spaces aside)",
                        p.name
                    ),
                ));
            }
            seen.push(key);
            check_stages_of(p)?;
        }
        for p in &self.pipelines.0 {
            self.check_renew(p)?;
        }
        Ok(())
    }

    fn check_renew(&self, p: &PipelineDef) -> Checked {
        let Some(r) = &p.renew else { return Ok(()) };
        if self.pipeline_def(&r.into).is_none() {
            return Err(problem(
                at(
                    &p.name,
                    &[SegOwned::Key("renew".into()), SegOwned::Key("into".into())],
                ),
                format!(
                    "[pipelines.{}] renew into {:?}: no such pipeline; the pipelines are: {}",
                    p.name,
                    r.into,
                    self.pipeline_names().join(", ")
                ),
            ));
        }
        if let Err(e) = crate::when::Interval::parse(&r.after) {
            return Err(problem(
                at(
                    &p.name,
                    &[SegOwned::Key("renew".into()), SegOwned::Key("after".into())],
                ),
                format!("[pipelines.{}] renew after {:?}: {e}", p.name, r.after),
            ));
        }
        Ok(())
    }

    pub(super) fn check_referrals(&self) -> Checked {
        let s = self.referrals.ask_after.trim();
        if s.is_empty() {
            return Ok(());
        }
        match crate::when::Interval::parse(s) {
            Ok(_) => Ok(()),
            Err(e) => Err(problem(
                vec![
                    SegOwned::Key("referrals".into()),
                    SegOwned::Key("ask_after".into()),
                ],
                format!(
                    "[referrals] ask_after = {:?}: {e} (\"\" turns the ask off)",
                    self.referrals.ask_after
                ),
            )),
        }
    }

    /// Stages in `[pipeline]` and `[pipelines.*]` at once: which board would they be? Refused
    /// rather than one silently ignored.
    pub(super) fn check_one_kind_of_pipeline(&self, text: &str) -> Checked {
        if self.pipelines.0.is_empty() {
            return Ok(());
        }
        let legacy_stages = toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("pipeline").and_then(|p| p.get("stages")).cloned())
            .is_some();
        if legacy_stages {
            return Err(problem(
                vec![
                    SegOwned::Key("pipeline".into()),
                    SegOwned::Key("stages".into()),
                ],
                "[pipeline] stages and [pipelines.*] both name stages: move these into \
                 [pipelines.sales] (`[pipeline]` keeps stale_after_days)"
                    .into(),
            ));
        }
        Ok(())
    }
}

fn check_stages_of(p: &PipelineDef) -> Checked {
    let head = format!("[pipelines.{}]", p.name);
    if p.stages.is_empty() {
        return Err(problem(
            at(&p.name, &[SegOwned::Key("stages".into())]),
            format!("{head} stages: name at least one stage"),
        ));
    }
    let mut seen = Vec::new();
    for (i, s) in p.stages.iter().enumerate() {
        let key = stage_key(&s.name);
        if let Some((field, message)) = stage_problem(s, &key, &seen) {
            let path = at(
                &p.name,
                &[
                    SegOwned::Key("stages".into()),
                    SegOwned::Index(i),
                    SegOwned::Key(field.into()),
                ],
            );
            return Err(problem(path, message.replacen("[pipeline]", &head, 1)));
        }
        seen.push(key);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pipelines_name_their_line() {
        let sales = "[pipelines.sales]\nstages = [{ name = \"Lead\", probability = 10 }]\n";
        let cases: Vec<(String, usize, &str)> = vec![
            (
                format!("{sales}renew = {{ into = \"nowhere\", after = \"11m\" }}\n"),
                3,
                "no such pipeline",
            ),
            (
                format!("{sales}renew = {{ into = \"sales\", after = \"soon\" }}\n"),
                3,
                "renew after \"soon\"",
            ),
            (
                format!(
                    "{sales}[pipelines.Sales]\nstages = [{{ name = \"A\", probability = 1 }}]\n"
                ),
                3,
                "named twice",
            ),
            (
                "[pipelines.x]\nstages = []\n".into(),
                2,
                "[pipelines.x] stages: name at least one stage",
            ),
            (
                "[pipelines.x]\nstages = [\n { name = \"Won\", probability = 1 },\n]\n".into(),
                3,
                "[pipelines.x] stages: \"Won\"",
            ),
            (
                "[pipelines.unfiled]\nstages = [{ name = \"A\", probability = 1 }]\n".into(),
                1,
                "Unfiled",
            ),
            (
                format!("[pipeline]\nstages = [{{ name = \"A\", probability = 1 }}]\n{sales}"),
                2,
                "both name stages",
            ),
            (
                "\n[referrals]\nask_after = \"sometime\"\n".into(),
                3,
                "ask_after",
            ),
            ("[pipelines.x]\nrenew = 3\n".into(), 2, "renew"),
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
