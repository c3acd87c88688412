use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Contact,
    Company,
    Deal,
    Note,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: i64,
    pub title: String,
    pub snippet: String,
    pub contact_id: Option<i64>,
    /// Lower is better: how the title matched, then bm25.
    #[serde(skip)]
    pub score: (u8, f64),
}
