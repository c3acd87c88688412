//! Adding, editing, archiving and merging contacts.

use serde::Serialize;

use crate::domain::contact::{Contact, ContactFields};
use crate::domain::deal::Deal;
use crate::domain::follow_up::FollowUp;
use crate::domain::note::Note;
use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::storage::Snapshot;
use crate::storage::contacts;
use crate::storage::deals;
use crate::storage::follow_ups;
use crate::storage::notes;
use crate::storage::owners;

/// Additions and removals on top of the plain fields of an edit.
#[derive(Debug, Clone, Default)]
pub struct ListEdits {
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub add_emails: Vec<String>,
    pub add_phones: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub contact: Contact,
    pub deals: Vec<Deal>,
    pub follow_ups: Vec<FollowUp>,
    pub notes: Vec<Note>,
    /// The sequence the contact is in now, or null.
    pub sequence: Option<crate::domain::sequence::Enrollment>,
    /// The contacts this one referred (`contact.referred_by` is the other way).
    pub referred: Vec<crate::domain::contact::ContactRef>,
    /// Who gave the contact to whom, oldest first.
    pub reassigned: Vec<crate::domain::team::Reassignment>,
    /// Who reads it (the desk's user): a page names owners and authors other than them.
    #[serde(skip)]
    pub reader: String,
}

/// A contact added, with what the person should know about it.
#[derive(Debug, Clone)]
pub struct Added {
    pub id: i64,
    /// Phones another contact has too (a switchboard): allowed, but said.
    pub warnings: Vec<String>,
}

impl Desk {
    /// Adds a contact as a person asks for it: an email another contact has is refused,
    /// naming that contact, unless `allow_duplicate`; a shared phone only warns.
    pub fn add_contact_checked(
        &mut self,
        f: &ContactFields,
        allow_duplicate: bool,
    ) -> Result<Added> {
        let name = f.name.clone().unwrap_or_default();
        self.db.write(&self.clock, |chg| {
            chg.describe(format!("adding contact {}", name.trim()));
            if !allow_duplicate
                && let Some((e, other)) = shared_email(chg.read(), f.emails.as_deref().unwrap_or_default())?
            {
                return Err(Error::input(format!(
                    "{e} is already the email of {other}; `--allow-duplicate` adds this contact anyway, \
                     or `salesdesk contact edit` that one"
                )));
            }
            let mut warnings = Vec::new();
            for p in f.phones.as_deref().unwrap_or_default() {
                if let Some(other) = holder(chg.read(), "phone", &contacts::phone_key(p.trim()))? {
                    warnings.push(format!("{} is also the phone of {other}", p.trim()));
                }
            }
            let id = contacts::insert(chg, f)?;
            set_referrer(chg, id, f)?;
            if let Some(o) = &f.owner {
                owners::give_new(chg, "contacts", id, o)?;
            }
            Ok(Added { id, warnings })
        })
    }

    /// The first of `emails` another contact has, and who that is (`#12 Ana Pereira`).
    pub fn shared_email(&mut self, emails: &[String]) -> Result<Option<(String, String)>> {
        self.db.read(|conn| shared_email(conn, emails))
    }

    pub fn add_contact(&mut self, f: &ContactFields) -> Result<i64> {
        let name = f.name.clone().unwrap_or_default();
        self.db.write(&self.clock, |chg| {
            chg.describe(format!("adding contact {}", name.trim()));
            let id = contacts::insert(chg, f)?;
            set_referrer(chg, id, f)?;
            if let Some(o) = &f.owner {
                owners::give_new(chg, "contacts", id, o)?;
            }
            Ok(id)
        })
    }

    pub fn edit_contact(
        &mut self,
        id: i64,
        f: &ContactFields,
        lists: &ListEdits,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let cur = contacts::get(chg.read(), id)?;
            chg.describe(format!("editing {}", cur.name));
            let mut f = f.clone();
            if !lists.add_tags.is_empty() || !lists.remove_tags.is_empty() {
                let mut tags = f.tags.clone().unwrap_or(cur.tags.clone());
                tags.extend(lists.add_tags.iter().cloned());
                let drop: Vec<String> = lists
                    .remove_tags
                    .iter()
                    .map(|t| t.trim().to_lowercase())
                    .collect();
                tags.retain(|t| !drop.contains(&t.to_lowercase()));
                f.tags = Some(tags);
            }
            if !lists.add_emails.is_empty() {
                let mut v = f.emails.clone().unwrap_or(cur.emails.clone());
                v.extend(lists.add_emails.iter().cloned());
                f.emails = Some(v);
            }
            if !lists.add_phones.is_empty() {
                let mut v = f.phones.clone().unwrap_or(cur.phones.clone());
                v.extend(lists.add_phones.iter().cloned());
                f.phones = Some(v);
            }
            contacts::update(chg, id, &f, expected_version)?;
            set_referrer(chg, id, &f)?;
            if let Some(o) = &f.owner {
                owners::reassign(chg, "contacts", id, o)?;
            }
            Ok(())
        })
    }

    pub fn set_archived(&mut self, id: i64, archived: bool) -> Result<()> {
        self.db.write(&self.clock, |chg| {
            let cur = contacts::get(chg.read(), id)?;
            let verb = if archived { "archiving" } else { "unarchiving" };
            chg.describe(format!("{verb} {}", cur.name));
            if archived {
                crate::ops::sequences::on_contact_gone(
                    chg,
                    id,
                    crate::ops::sequences::StopReason::Archived,
                )?;
            }
            let f = ContactFields {
                archived: Some(archived),
                ..Default::default()
            };
            contacts::update(chg, id, &f, None)
        })
    }

    /// Moves everything of `from` into `into`, fills what `into` lacks, then removes `from`.
    pub fn merge_contacts(&mut self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(Error::input("cannot merge a contact into itself"));
        }
        self.db.write(&self.clock, |chg| {
            let a = contacts::get(chg.read(), from)?;
            let b = contacts::get(chg.read(), into)?;
            chg.describe(format!("merging {} into {}", a.name, b.name));
            crate::ops::sequences::on_contact_gone(
                chg,
                from,
                crate::ops::sequences::StopReason::Merged,
            )?;
            crate::storage::sequences::move_to_contact(chg, from, into)?;
            deals::move_to_contact(chg, from, into)?;
            follow_ups::move_to_contact(chg, from, into)?;
            notes::move_to_contact(chg, from, into)?;
            crate::storage::referrals::move_referrer(chg, from, into)?;
            let fill = |new: &Option<String>, old: &Option<String>| {
                if old.is_none() {
                    Some(new.clone())
                } else {
                    None
                }
            };
            let mut emails = b.emails.clone();
            emails.extend(a.emails.iter().cloned());
            let mut phones = b.phones.clone();
            phones.extend(a.phones.iter().cloned());
            let mut tags = b.tags.clone();
            tags.extend(a.tags.iter().cloned());
            let f = ContactFields {
                company: if b.company.is_none() {
                    Some(a.company.clone())
                } else {
                    None
                },
                title: fill(&a.title, &b.title),
                emails: Some(emails),
                phones: Some(phones),
                tags: Some(tags),
                source: fill(&a.source, &b.source),
                status: Some(a.status.max(b.status)),
                temperature: if b.temperature.is_none() {
                    Some(a.temperature)
                } else {
                    None
                },
                cadence_days: if b.cadence_days.is_none() {
                    Some(a.cadence_days)
                } else {
                    None
                },
                linkedin_url: fill(&a.linkedin_url, &b.linkedin_url),
                connected_on: fill(&a.connected_on, &b.connected_on),
                ..Default::default()
            };
            contacts::update(chg, into, &f, None)?;
            // Who referred the contact merged away, unless the one kept has a referrer (or
            // was it).
            if let (None, Some(r)) = (&b.referred_by, &a.referred_by)
                && r.id != into
            {
                crate::storage::referrals::set_referred_by(chg, into, Some(r.id))?;
            }
            contacts::delete(chg, from)
        })
    }

    pub fn contact_view(&mut self, id: i64, notes_limit: usize) -> Result<ContactView> {
        let now = self.clock.now_naive();
        self.db
            .read(|conn| {
                let contact = contacts::get(conn, id)?;
                let deals = deals::list(
                    conn,
                    &crate::domain::deal::ListFilter {
                        contact_id: Some(id),
                        history: true,
                        ..Default::default()
                    },
                )?;
                let follow_ups = follow_ups::list(
                    conn,
                    &crate::domain::follow_up::ListFilter {
                        contact_id: Some(id),
                        status: Some(crate::domain::follow_up::FollowUpStatus::Open),
                        ..Default::default()
                    },
                    now,
                )?;
                let notes = notes::for_contact(conn, id, notes_limit)?;
                let sequence = crate::storage::sequences::active_of(conn, id)?;
                Ok(ContactView {
                    referred: crate::storage::referrals::referred(conn, id)?,
                    reassigned: owners::history(conn, "contacts", id)?,
                    contact,
                    deals,
                    follow_ups,
                    notes,
                    sequence,
                    reader: String::new(),
                })
            })
            .map(|mut v| {
                v.reader = self.db.user();
                if let Some(e) = &mut v.sequence {
                    e.retired = self.config.sequence(&e.sequence).is_none();
                }
                v
            })
    }
}

/// `#12 Ana Pereira (Acme)`: the first contact holding that email or phone key.
fn holder(conn: &Snapshot, kind: &str, key: &str) -> Result<Option<String>> {
    if key.is_empty() {
        return Ok(None);
    }
    let Some(id) = crate::storage::lookups::key_holder(conn, kind, key)? else {
        return Ok(None);
    };
    let c = contacts::get(conn, id)?;
    let company = c
        .company
        .map(|co| format!(" ({})", crate::text::printable(&co)))
        .unwrap_or_default();
    Ok(Some(format!(
        "#{} {}{company}",
        c.id,
        crate::text::printable(&c.name)
    )))
}

fn shared_email(conn: &Snapshot, emails: &[String]) -> Result<Option<(String, String)>> {
    for e in contacts::clean_emails(emails)? {
        if let Some(other) = holder(conn, "email", &e.trim().to_lowercase())? {
            return Ok(Some((e, other)));
        }
    }
    Ok(None)
}

/// Records the referrer an add or edit names, when it names one.
fn set_referrer(chg: &mut crate::storage::Change<'_>, id: i64, f: &ContactFields) -> Result<()> {
    match f.referred_by {
        Some(r) => {
            if let Some(r) = r {
                contacts::get(chg.read(), r)?;
            }
            crate::storage::referrals::set_referred_by(chg, id, r)
        }
        None => Ok(()),
    }
}
