//! Where in the config's text a problem sits: the line of a key or value, found from the
//! document's own spans, so every message starts `line N: `.

/// One step of the way to a value in the document: a table key or an array index.
#[derive(Debug, Clone, Copy)]
pub(super) enum Seg {
    Key(&'static str),
    Index(usize),
}

#[derive(Debug, Clone)]
pub(super) enum SegOwned {
    Key(String),
    Index(usize),
}

/// A value the config holds that salesdesk cannot use, and where it sits.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub(super) path: Vec<SegOwned>,
    pub(super) message: String,
}

impl Problem {
    pub(super) fn at(path: &[Seg], message: impl Into<String>) -> Self {
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
    pub(super) fn describe(&self, text: &str) -> String {
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
pub(super) fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
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
