//! Who a purge erases, and how a row is recognised as that person.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// Who is being erased: the id and the keys that must match with it. Kept in the book's
/// `meta` (under `purge_pending:<id>`) until every step is done, so a purge cut short is
/// finished by the next command; erased with the rest once it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
}

pub const PENDING_PREFIX: &str = "purge_pending:";

impl Erasure {
    pub fn meta_key(&self) -> String {
        format!("{PENDING_PREFIX}{}", self.id)
    }

    /// Whether a row with this id is this person: the same name (folded) or a shared email.
    /// An id alone never matches: in a backup from before a restore it may be someone else.
    pub fn matches(&self, name: &str, emails_json: Option<&str>) -> bool {
        let key = |s: &str| s.trim().to_lowercase();
        if !self.name.trim().is_empty() && crate::text::fold(name) == crate::text::fold(&self.name)
        {
            return true;
        }
        let theirs: Vec<String> = emails_json
            .and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
            .unwrap_or_default();
        let ours: HashSet<String> = self
            .emails
            .iter()
            .map(|e| key(e))
            .filter(|e| !e.is_empty())
            .collect();
        theirs.iter().any(|e| ours.contains(&key(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Erasure {
        Erasure {
            id: 2,
            name: "Ana Souza".into(),
            emails: vec!["Ana@Example.com".into()],
        }
    }

    #[test]
    fn an_id_alone_never_matches() {
        let w = who();
        for (name, emails, want) in [
            ("Ana Souza", None, true),
            ("  ana   SOUZA ", Some("[]"), true),
            ("Ána Souza", None, true),
            ("Someone Else", Some(r#"["ana@example.com "]"#), true),
            ("Someone Else", Some(r#"["other@example.com"]"#), false),
            ("Someone Else", None, false),
            ("Someone Else", Some("not json"), false),
            ("", Some("[]"), false),
        ] {
            assert_eq!(w.matches(name, emails), want, "{name:?} {emails:?}");
        }
        let nameless = Erasure {
            id: 2,
            name: String::new(),
            emails: vec![String::new()],
        };
        assert!(!nameless.matches("", Some(r#"[""]"#)));
    }
}
