//! Writing imported contacts: find the duplicate (by email, then phone, then exact name and
//! company, through the indexed `contact_keys`), then insert, merge or skip.

use rusqlite::{OptionalExtension, params};

use crate::domain::contact::Status;
use crate::domain::note::NoteKind;
use crate::error::{Error, Result};
use crate::io::ContactRecord;
use crate::storage::Change;
use crate::storage::contacts::{self, ContactFields};
use crate::storage::notes::{self, NewNote};
use crate::text::fold;

/// What to do with a row that matches a contact already in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnDuplicate {
    /// Fill what the contact lacks, add new emails, phones and tags; never overwrite.
    #[default]
    Merge,
    /// Leave the contact alone.
    Skip,
    /// Make a new contact anyway.
    Create,
}

impl std::str::FromStr for OnDuplicate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "merge" => Ok(OnDuplicate::Merge),
            "skip" => Ok(OnDuplicate::Skip),
            "create" => Ok(OnDuplicate::Create),
            _ => Err(Error::input(format!(
                "--on-duplicate {s:?}: use skip, merge or create"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Imported,
    Merged,
    Skipped,
}

/// A phone as `contact_keys` stores it: the same characters dropped as the schema's trigger.
pub fn phone_key(p: &str) -> String {
    p.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+' | '/'))
        .collect()
}

pub struct Writer {
    policy: OnDuplicate,
}

const INSERT: &str = "INSERT INTO contacts(name, name_key, company_id, title, emails, phones, tags,
    source, status, temperature, cadence_days, linkedin_url, connected_on, created_at, updated_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)";

impl Writer {
    pub fn new(policy: OnDuplicate) -> Self {
        Self { policy }
    }

    /// Writes one record; returns what became of it and how many notes it added.
    pub fn apply(&mut self, chg: &mut Change<'_>, rec: &ContactRecord) -> Result<(Outcome, u64)> {
        let dup = if self.policy == OnDuplicate::Create {
            None
        } else {
            find_duplicate(chg, rec)?
        };
        let merged = dup.is_some();
        let (id, outcome) = match dup {
            Some(_) if self.policy == OnDuplicate::Skip => return Ok((Outcome::Skipped, 0)),
            Some(id) => {
                merge_into(chg, id, rec)?;
                (id, Outcome::Merged)
            }
            None => (insert(chg, rec)?, Outcome::Imported),
        };
        let mut added = 0;
        for body in &rec.notes {
            let body = body.trim();
            if body.is_empty() {
                continue;
            }
            // Importing the same file twice does not log its notes twice.
            if merged
                && chg
                    .prepare_cached(
                        "SELECT 1 FROM notes WHERE contact_id = ?1 AND body = ?2 LIMIT 1",
                    )?
                    .exists(params![id, body])?
            {
                continue;
            }
            notes::insert(
                chg,
                &NewNote {
                    contact_id: id,
                    deal_id: None,
                    kind: NoteKind::Note,
                    outcome: None,
                    body: body.to_string(),
                },
            )?;
            added += 1;
        }
        Ok((outcome, added))
    }
}

fn find_duplicate(chg: &Change<'_>, rec: &ContactRecord) -> Result<Option<i64>> {
    let mut by_key = chg.prepare_cached(
        "SELECT contact_id FROM contact_keys WHERE kind = ?1 AND key = ?2 LIMIT 1",
    )?;
    for e in &rec.emails {
        let k = e.trim().to_lowercase();
        if let Some(id) = by_key
            .query_row(params!["email", k], |r| r.get::<_, i64>(0))
            .optional()?
        {
            return Ok(Some(id));
        }
    }
    for p in &rec.phones {
        let k = phone_key(p);
        if k.is_empty() {
            continue;
        }
        if let Some(id) = by_key
            .query_row(params!["phone", k], |r| r.get::<_, i64>(0))
            .optional()?
        {
            return Ok(Some(id));
        }
    }
    drop(by_key);
    let company = rec.company.as_deref().map(fold).unwrap_or_default();
    let id = chg
        .prepare_cached(
            "SELECT c.id FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
             WHERE c.name_key = ?1 AND coalesce(co.name_key, '') = ?2 ORDER BY c.id LIMIT 1",
        )?
        .query_row(params![fold(&rec.name), company], |r| r.get::<_, i64>(0))
        .optional()?;
    Ok(id)
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn insert(chg: &mut Change<'_>, rec: &ContactRecord) -> Result<i64> {
    let company = match opt(&rec.company) {
        Some(c) => contacts::company_id(chg, c)?,
        None => None,
    };
    let name = rec.name.trim();
    let now = chg.now();
    chg.prepare_cached(INSERT)?.execute(params![
        name,
        fold(name),
        company,
        opt(&rec.title),
        serde_json::to_string(&rec.emails)?,
        serde_json::to_string(&rec.phones)?,
        serde_json::to_string(&contacts::clean_tags(&rec.tags))?,
        opt(&rec.source),
        rec.status.unwrap_or(Status::Lead),
        rec.temperature,
        rec.cadence_days.filter(|d| *d > 0),
        opt(&rec.linkedin_url),
        opt(&rec.connected_on),
        now,
    ])?;
    Ok(chg.last_insert_rowid())
}

/// Fills what the contact lacks and adds new emails, phones and tags; overwrites nothing.
fn merge_into(chg: &mut Change<'_>, id: i64, rec: &ContactRecord) -> Result<()> {
    let cur = contacts::get(chg, id)?;
    let mut f = ContactFields::default();
    let mut changed = false;
    let mut fill = |old: &Option<String>, new: &Option<String>| -> Option<Option<String>> {
        match (old, opt(new)) {
            (None, Some(n)) => {
                changed = true;
                Some(Some(n.to_string()))
            }
            _ => None,
        }
    };
    f.company = fill(&cur.company, &rec.company);
    f.title = fill(&cur.title, &rec.title);
    f.source = fill(&cur.source, &rec.source);
    f.linkedin_url = fill(&cur.linkedin_url, &rec.linkedin_url);
    f.connected_on = fill(&cur.connected_on, &rec.connected_on);
    if cur.temperature.is_none() && rec.temperature.is_some() {
        f.temperature = Some(rec.temperature);
        changed = true;
    }
    if cur.cadence_days.is_none() && rec.cadence_days.is_some() {
        f.cadence_days = Some(rec.cadence_days);
        changed = true;
    }
    let add = |old: &[String], new: &[String], key: fn(&str) -> String| -> Option<Vec<String>> {
        let keys: Vec<String> = old.iter().map(|s| key(s)).collect();
        let extra: Vec<String> = new
            .iter()
            .filter(|s| !keys.contains(&key(s)))
            .cloned()
            .collect();
        if extra.is_empty() {
            None
        } else {
            Some(old.iter().cloned().chain(extra).collect())
        }
    };
    f.emails = add(&cur.emails, &rec.emails, |s| s.trim().to_lowercase());
    f.phones = add(&cur.phones, &rec.phones, phone_key);
    let tags = contacts::clean_tags(&rec.tags);
    f.tags = add(&cur.tags, &tags, |s| s.trim().to_lowercase());
    changed |= f.emails.is_some() || f.phones.is_some() || f.tags.is_some();
    if changed {
        contacts::update(chg, id, &f, None)?;
    }
    Ok(())
}
