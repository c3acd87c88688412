use super::word_enum;
use chrono::{DateTime, Local};
use serde::Serialize;

/// The longest keep-in-touch cadence, in days: ten years. A cadence becomes date arithmetic
/// on every `today`, so a typed or imported one past this is refused.
pub const MAX_CADENCE_DAYS: i64 = 3660;

word_enum!(
    /// lead → prospect → customer → repeat
    Status ("a contact status") { Lead = "lead", Prospect = "prospect", Customer = "customer", Repeat = "repeat" }
);

word_enum!(
    /// How ready a lead is.
    Temperature ("a temperature") { Hot = "hot", Warm = "warm", Cold = "cold" }
);

impl Status {
    /// What a won deal makes of its contact: a customer, and a repeat customer on the second.
    pub fn after_win(self, wins_before: i64) -> Status {
        match self {
            Status::Repeat => Status::Repeat,
            _ if wins_before >= 1 => Status::Repeat,
            _ => Status::Customer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wins_promote() {
        assert_eq!(Status::Lead.after_win(0), Status::Customer);
        assert_eq!(Status::Prospect.after_win(0), Status::Customer);
        assert_eq!(Status::Customer.after_win(1), Status::Repeat);
        assert_eq!(Status::Repeat.after_win(0), Status::Repeat);
    }

    #[test]
    fn parse_names_choices() {
        assert_eq!("HOT".parse::<Temperature>().unwrap(), Temperature::Hot);
        let e = "tepid".parse::<Temperature>().unwrap_err().to_string();
        assert!(e.contains("hot, warm, cold"), "{e}");
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    #[serde(skip)]
    pub company_id: Option<i64>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub status: Status,
    pub temperature: Option<Temperature>,
    pub cadence_days: Option<i64>,
    pub archived: bool,
    pub linkedin_url: Option<String>,
    pub connected_on: Option<String>,
    #[serde(serialize_with = "crate::clock::json::opt_time")]
    pub last_contacted_at: Option<DateTime<Local>>,
    /// A date (`2026-11-24`) for an all-day follow-up, else RFC 3339.
    pub next_follow_up_at: Option<String>,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub created_at: DateTime<Local>,
    #[serde(serialize_with = "crate::clock::json::time")]
    pub updated_at: DateTime<Local>,
    pub version: i64,
    /// Who referred this contact, if anyone.
    pub referred_by: Option<ContactRef>,
    /// How many contacts this one referred.
    pub referrals: i64,
    /// Who owns it: the login on a server, `me` on a personal book.
    pub owner: String,
}

/// Another contact named in a contact's JSON: `{"id", "name"}`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct ContactRef {
    pub id: i64,
    #[serde(default)]
    pub name: String,
}

/// The fields a contact is written with; `None` leaves a field as it is on edit.
#[derive(Debug, Clone, Default)]
pub struct ContactFields {
    pub name: Option<String>,
    pub company: Option<Option<String>>,
    pub title: Option<Option<String>>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub source: Option<Option<String>>,
    pub status: Option<Status>,
    pub temperature: Option<Option<Temperature>>,
    pub cadence_days: Option<Option<i64>>,
    pub archived: Option<bool>,
    pub linkedin_url: Option<Option<String>>,
    pub connected_on: Option<Option<String>>,
    /// Who referred them: `Some(None)` clears it.
    pub referred_by: Option<Option<i64>>,
    /// Whose it is (`--owner`): given on add, reassigned on edit (a manager's to give).
    pub owner: Option<String>,
}

impl ContactFields {
    /// Refuses a one-line field past its bound (domain::fields) before either engine sees
    /// it. On an edit (`cur`, the contact as it is) only what the edit brings is checked: a
    /// row written before the bound existed keeps working for every other change.
    pub fn check_lengths(&self, cur: Option<&Contact>) -> Result<(), String> {
        use crate::domain::fields::check_line;
        let one = |what: &str, v: &Option<Option<String>>, was: Option<&String>| match v {
            Some(Some(v)) if Some(v) != was => check_line(what, v),
            _ => Ok(()),
        };
        let many = |what: &str, v: &Option<Vec<String>>, was: Option<&Vec<String>>| {
            let new = v
                .iter()
                .flatten()
                .filter(|x| !was.is_some_and(|w| w.contains(x)));
            new.map(|x| check_line(what, x))
                .collect::<Result<Vec<()>, String>>()
        };
        match &self.name {
            Some(n) if Some(n.trim()) != cur.map(|c| c.name.as_str()) => {
                check_line("the contact's name", n)?
            }
            _ => {}
        }
        one(
            "the company's name",
            &self.company,
            cur.and_then(|c| c.company.as_ref()),
        )?;
        one("the title", &self.title, cur.and_then(|c| c.title.as_ref()))?;
        one(
            "the source",
            &self.source,
            cur.and_then(|c| c.source.as_ref()),
        )?;
        many("an email", &self.emails, cur.map(|c| &c.emails))?;
        many("a phone", &self.phones, cur.map(|c| &c.phones))?;
        many("a tag", &self.tags, cur.map(|c| &c.tags))?;
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub search: Option<String>,
    pub tag: Option<String>,
    pub status: Option<Status>,
    /// Show archived contacts only (true) or live ones only (false).
    pub archived: bool,
    pub limit: Option<usize>,
}

/// One contact as the Contacts filter holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub status: Status,
    pub temperature: Option<Temperature>,
    /// Whose the contact is (the Contacts table's `o`).
    pub owner: String,
}

/// A column the contacts table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Company,
    Status,
    Temperature,
    LastContact,
    NextFollowUp,
}

impl SortBy {
    pub const ALL: [SortBy; 6] = [
        SortBy::Name,
        SortBy::Company,
        SortBy::Status,
        SortBy::Temperature,
        SortBy::LastContact,
        SortBy::NextFollowUp,
    ];

    pub fn next(self) -> SortBy {
        let i = SortBy::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortBy::ALL[(i + 1) % SortBy::ALL.len()]
    }
}
