//! Writing imported contacts: find the duplicate (by email, then phone, then exact name and
//! company, through the indexed `contact_keys`), then insert, merge or skip.

use std::collections::HashMap;

use crate::domain::contact::ContactFields;
use crate::domain::contact::Status;
use crate::error::{Error, Result};
use crate::io::ContactRecord;
use crate::storage::duplicates::{Asking, LookAhead};
use crate::storage::import::{self as store, NewContact};
use crate::storage::{Importing, Snapshot, contacts};
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

pub use crate::storage::contacts::phone_key;

/// New contacts are written this many at a time, as one multi-row INSERT (and their keys and
/// notes likewise): a statement's fixed cost paid once for hundreds of rows. The batch is
/// bounded, so memory stays flat whatever the file's size. (The full-text indexes are filled
/// after the last batch: see `storage::bulk`.)
const BATCH: usize = 400;

/// Where a duplicate is: in the book, or among the rows waiting to be written.
enum Dup {
    Book(i64),
    Pending(usize),
}

pub struct Writer {
    policy: OnDuplicate,
    pending: Vec<ContactRecord>,
    /// `e:email`, `p:phone`, `n:name\0company` of the pending rows.
    keys: HashMap<String, usize>,
    /// Company ids by folded name, found or created by this import: most rows name a
    /// company an earlier row did, and a map costs less than a query. Cleared when large, so
    /// memory stays flat however many companies the file names.
    companies: HashMap<String, i64>,
    /// The book's answers for the records ahead (on a server asked many at a time).
    ahead: LookAhead,
}

/// Companies remembered at most; past this the map starts over.
const COMPANIES_REMEMBERED: usize = 20_000;

fn email_slot(e: &str) -> String {
    format!("e:{}", e.trim().to_lowercase())
}

fn phone_slot(p: &str) -> String {
    format!("p:{}", phone_key(p))
}

fn name_slot(rec: &ContactRecord) -> String {
    format!(
        "n:{}\0{}",
        fold(&rec.name),
        rec.company.as_deref().map(fold).unwrap_or_default()
    )
}

impl Writer {
    pub fn new(policy: OnDuplicate) -> Self {
        Self {
            policy,
            pending: Vec::with_capacity(BATCH),
            keys: HashMap::new(),
            companies: HashMap::new(),
            ahead: LookAhead::default(),
        }
    }

    /// The records [`Writer::apply`] is about to be given, in order: on a server their
    /// duplicates are looked up in the book many at a time.
    pub fn expect<'r>(
        &mut self,
        book: &Snapshot,
        records: impl Iterator<Item = &'r ContactRecord>,
    ) {
        if self.policy != OnDuplicate::Create {
            self.ahead.expect(book, records.map(asking));
        }
    }

    /// Takes one record; returns what became of it and how many notes it adds. New contacts
    /// are written in batches: call [`Writer::finish`] at the end.
    pub fn apply(&mut self, imp: &mut Importing<'_>, rec: ContactRecord) -> Result<(Outcome, u64)> {
        let dup = if self.policy == OnDuplicate::Create {
            None
        } else {
            self.find(imp.read(), &rec)?
        };
        match dup {
            Some(_) if self.policy == OnDuplicate::Skip => Ok((Outcome::Skipped, 0)),
            Some(Dup::Book(id)) => {
                if merge_into(imp, id, &rec)? {
                    // The contact's keys or company may have changed: the book's answers too.
                    self.ahead.forget(true);
                }
                let mut added = 0;
                for body in note_bodies(&rec) {
                    // Importing the same file twice does not log its notes twice.
                    if store::has_note(imp.read(), id, body)? {
                        continue;
                    }
                    store::add_note(imp, id, body)?;
                    added += 1;
                }
                Ok((Outcome::Merged, added))
            }
            Some(Dup::Pending(i)) => {
                let added = merge_pending(&mut self.pending[i], &rec);
                self.index(i);
                Ok((Outcome::Merged, added))
            }
            None => {
                let mut rec = rec;
                if rec
                    .notes
                    .iter()
                    .any(|b| b.trim().len() != b.len() || b.is_empty())
                {
                    rec.notes = note_bodies(&rec).map(str::to_string).collect();
                }
                let added = rec.notes.len() as u64;
                self.pending.push(rec);
                if self.policy != OnDuplicate::Create {
                    self.index(self.pending.len() - 1);
                }
                if self.pending.len() >= BATCH {
                    self.flush(imp)?;
                }
                Ok((Outcome::Imported, added))
            }
        }
    }

    /// How many new contacts the writer takes before it writes them (at least one).
    pub fn room(&self) -> usize {
        BATCH.saturating_sub(self.pending.len()).max(1)
    }

    /// Writes what is still pending.
    pub fn finish(&mut self, imp: &mut Importing<'_>) -> Result<()> {
        self.flush(imp)
    }

    fn index(&mut self, i: usize) {
        let rec = &self.pending[i];
        let mut keys: Vec<String> = rec.emails.iter().map(|e| email_slot(e)).collect();
        keys.extend(rec.phones.iter().map(|p| phone_slot(p)));
        keys.push(name_slot(rec));
        for k in keys {
            self.keys.entry(k).or_insert(i);
        }
    }

    /// By email, then phone, then name and company; the book first at each step.
    fn find(&mut self, book: &Snapshot, rec: &ContactRecord) -> Result<Option<Dup>> {
        let asked = asking(rec);
        let found = self.ahead.matches(book, &asked)?;
        for (e, k) in rec.emails.iter().zip(&asked.emails) {
            if let Some(id) = found.emails.get(k) {
                return Ok(Some(Dup::Book(*id)));
            }
            if let Some(i) = self.keys.get(&email_slot(e)) {
                return Ok(Some(Dup::Pending(*i)));
            }
        }
        for p in &rec.phones {
            let k = phone_key(p);
            if k.is_empty() {
                continue;
            }
            if let Some(id) = found.phones.get(&k) {
                return Ok(Some(Dup::Book(*id)));
            }
            if let Some(i) = self.keys.get(&phone_slot(p)) {
                return Ok(Some(Dup::Pending(*i)));
            }
        }
        if let Some(id) = found.name {
            return Ok(Some(Dup::Book(id)));
        }
        Ok(self.keys.get(&name_slot(rec)).map(|i| Dup::Pending(*i)))
    }

    /// Writes the pending batch. A failure here concerns the whole batch, never one row, so
    /// it is never reported as an invalid row.
    fn flush(&mut self, imp: &mut Importing<'_>) -> Result<()> {
        self.write_batch(imp).map_err(|e| match e {
            Error::Input(m) => Error::Env(format!("writing the imported contacts: {m}")),
            e => e,
        })
    }

    fn write_batch(&mut self, imp: &mut Importing<'_>) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.keys.clear();
        let now = imp.now();
        if self.companies.len() > COMPANIES_REMEMBERED {
            self.companies.clear();
        }
        self.add_companies(imp, &now)?;
        let mut batch = Vec::with_capacity(self.pending.len());
        for rec in &self.pending {
            let company_id = match opt(&rec.company) {
                Some(c) => Some(*self.companies.get(&fold(c)).ok_or_else(|| {
                    Error::env(format!("the company {c:?} was neither found nor added"))
                })?),
                None => None,
            };
            let name = rec.name.trim();
            // A referrer already in the book (an earlier batch included); one not found is
            // left out, the person kept.
            let referred_by = match opt(&rec.referred_by) {
                Some(r) => contacts::resolve(imp.read(), r).ok(),
                None => None,
            };
            let source = match (opt(&rec.source), referred_by) {
                (None, Some(_)) => Some("referral"),
                (s, _) => s,
            };
            batch.push(NewContact {
                referred_by,
                name,
                name_key: fold(name),
                company_id,
                title: opt(&rec.title),
                emails: &rec.emails,
                phones: &rec.phones,
                tags: contacts::clean_tags(&rec.tags),
                source,
                status: rec.status.unwrap_or(Status::Lead),
                temperature: rec.temperature,
                cadence_days: rec.cadence_days.filter(|d| *d > 0),
                linkedin_url: opt(&rec.linkedin_url),
                connected_on: opt(&rec.connected_on),
                notes: &rec.notes,
            });
        }
        store::add_contacts(imp, &batch)?;
        drop(batch);
        self.pending.clear();
        // The book holds the batch now: the answers looked up before it no longer stand.
        self.ahead.forget(false);
        Ok(())
    }

    /// Finds or adds the companies the pending rows name that the map does not hold yet, in
    /// the order the rows first name them, and remembers them.
    fn add_companies(&mut self, imp: &mut Importing<'_>, now: &str) -> Result<()> {
        let mut wanted: Vec<(&str, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in self.pending.iter().filter_map(|r| opt(&r.company)) {
            let key = fold(c);
            if !self.companies.contains_key(&key) && seen.insert(key.clone()) {
                wanted.push((c, key));
            }
        }
        let pairs: Vec<(&str, &str)> = wanted.iter().map(|(c, k)| (*c, k.as_str())).collect();
        let ids = store::companies(imp, &pairs, now)?;
        for ((_, key), id) in wanted.into_iter().zip(ids) {
            self.companies.insert(key, id);
        }
        Ok(())
    }
}

/// What a record asks the book to find its duplicate.
fn asking(rec: &ContactRecord) -> Asking {
    Asking {
        emails: rec.emails.iter().map(|e| e.trim().to_lowercase()).collect(),
        phones: rec
            .phones
            .iter()
            .map(|p| phone_key(p))
            .filter(|k| !k.is_empty())
            .collect(),
        name: fold(&rec.name),
        company: rec.company.as_deref().map(fold).unwrap_or_default(),
    }
}

/// The note bodies of a record worth writing.
fn note_bodies(rec: &ContactRecord) -> impl Iterator<Item = &str> {
    rec.notes.iter().map(|b| b.trim()).filter(|b| !b.is_empty())
}

/// Merges a row into one still pending: fills what it lacks, adds emails, phones, tags and
/// notes. Returns the notes added.
fn merge_pending(into: &mut ContactRecord, rec: &ContactRecord) -> u64 {
    let fill = |old: &mut Option<String>, new: &Option<String>| {
        if opt(old).is_none()
            && let Some(n) = opt(new)
        {
            *old = Some(n.to_string());
        }
    };
    fill(&mut into.company, &rec.company);
    fill(&mut into.title, &rec.title);
    fill(&mut into.source, &rec.source);
    fill(&mut into.linkedin_url, &rec.linkedin_url);
    fill(&mut into.connected_on, &rec.connected_on);
    fill(&mut into.referred_by, &rec.referred_by);
    into.status = into.status.or(rec.status);
    into.temperature = into.temperature.or(rec.temperature);
    into.cadence_days = into.cadence_days.or(rec.cadence_days);
    let add = |old: &mut Vec<String>, new: &[String], key: fn(&str) -> String| {
        for n in new {
            if !old.iter().any(|o| key(o) == key(n)) {
                old.push(n.clone());
            }
        }
    };
    add(&mut into.emails, &rec.emails, |s| s.trim().to_lowercase());
    add(&mut into.phones, &rec.phones, phone_key);
    add(&mut into.tags, &rec.tags, |s| s.trim().to_lowercase());
    let mut added = 0;
    for body in note_bodies(rec) {
        if !into.notes.iter().any(|n| n == body) {
            into.notes.push(body.to_string());
            added += 1;
        }
    }
    added
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Fills what the book's contact lacks from the row; whether it changed the contact.
fn merge_into(imp: &mut Importing<'_>, id: i64, rec: &ContactRecord) -> Result<bool> {
    let cur = contacts::get(imp.read(), id)?;
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
        contacts::update(imp, id, &f, None)?;
    }
    Ok(changed)
}
