//! A CSV header mapped by name, whatever the program that wrote it (Google Contacts,
//! Outlook, LinkedIn, HubSpot, plain `name,email,phone,company`), and a row read through it
//! into a contact.

use chrono::NaiveDate;

use crate::domain::contact::{Status, Temperature};
use crate::io::{ContactRecord, LeftOut, unguard_cell};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    First,
    Middle,
    Last,
    /// Mr., Ms.: not part of the name salesdesk keeps.
    Honorific,
    Suffix,
    Nickname,
    Company,
    /// The position. Outlook's "Job Title"; "Title" when no "Job Title" column exists.
    JobTitle,
    /// A bare "Title": the honorific in Outlook's export (which also has "Job Title"), else
    /// the position.
    Title,
    Email,
    Phone,
    Tags,
    Source,
    Status,
    /// HubSpot's "Lifecycle Stage", mapped to a status.
    Lifecycle,
    Temperature,
    LinkedIn,
    /// A web address: kept as the LinkedIn profile when it is one.
    Url,
    ConnectedOn,
    Notes,
    Cadence,
    ReferredBy,
    Ignore,
}

/// A header as compared: lowercase letters and digits only ("E-mail 1 - Value" → "email1value").
pub fn normalize(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const PREFIXES: &[&str] = &[
    "work",
    "home",
    "personal",
    "other",
    "primary",
    "secondary",
    "business",
    "private",
    "main",
    "mobile",
    "office",
    "company",
];

fn strip_prefix(k: &str) -> &str {
    for p in PREFIXES {
        if let Some(rest) = k.strip_prefix(p)
            && !rest.is_empty()
        {
            return rest;
        }
    }
    k
}

fn is_email(k: &str) -> bool {
    let r = strip_prefix(k);
    let Some(rest) = r.strip_prefix("email").or_else(|| r.strip_prefix("mail")) else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(rest, "" | "s" | "value" | "address" | "addresses")
}

fn is_phone(k: &str) -> bool {
    if [
        "tel",
        "telephone",
        "mobile",
        "cell",
        "cellphone",
        "mobilenumber",
        "phones",
    ]
    .contains(&k)
    {
        return true;
    }
    if !k.contains("phone") {
        return false;
    }
    !["type", "label", "fax", "optout", "status"]
        .iter()
        .any(|x| k.contains(x))
}

/// The field a header names.
pub fn classify(header: &str) -> Field {
    let k = normalize(header);
    let k = k.as_str();
    match k {
        "name" | "fullname" | "displayname" | "contactname" | "contact" | "person" | "fn" => {
            Field::Name
        }
        "firstname" | "givenname" | "first" | "forename" => Field::First,
        "middlename" | "additionalname" | "middle" => Field::Middle,
        "lastname" | "familyname" | "surname" | "last" => Field::Last,
        "nameprefix" | "prefix" | "salutation" | "honorific" => Field::Honorific,
        "namesuffix" | "suffix" => Field::Suffix,
        "nickname" => Field::Nickname,
        "company" | "companyname" | "organization" | "organisation" | "organization1name"
        | "organizationname" | "organisationname" | "org" | "account" | "accountname"
        | "employer" => Field::Company,
        "jobtitle" | "position" | "organization1title" | "organizationtitle" | "role"
        | "jobposition" => Field::JobTitle,
        "title" => Field::Title,
        "labels" | "groupmembership" | "tags" | "tag" | "categories" | "category" | "groups" => {
            Field::Tags
        }
        "source" | "leadsource" | "originalsource" | "contactsource" => Field::Source,
        "referredby" | "referrer" | "referredbyname" => Field::ReferredBy,
        "status" | "contactstatus" => Field::Status,
        "lifecyclestage" | "lifecycle" => Field::Lifecycle,
        "temperature" | "temp" | "rating" | "leadrating" => Field::Temperature,
        "linkedin" | "linkedinurl" | "linkedinprofile" | "linkedinprofileurl" | "profileurl" => {
            Field::LinkedIn
        }
        "url" | "website" | "webpage" | "website1value" | "webpage1value" | "homepage" => {
            Field::Url
        }
        "connectedon" | "connectiondate" => Field::ConnectedOn,
        "notes" | "note" | "comments" | "comment" | "description" | "memo" => Field::Notes,
        "cadence" | "cadencedays" => Field::Cadence,
        _ if is_email(k) => Field::Email,
        _ if is_phone(k) => Field::Phone,
        _ => Field::Ignore,
    }
}

/// A header row mapped to fields, with Outlook's "Title" settled.
#[derive(Debug, Clone)]
pub struct Header {
    pub fields: Vec<Field>,
    /// The header cells as the file has them, to name a column in a report.
    pub names: Vec<String>,
    /// A LinkedIn connections export ("Connected On"): its people came from LinkedIn.
    pub linkedin: bool,
}

impl Header {
    pub fn map(cells: &[&str]) -> Header {
        let mut fields: Vec<Field> = cells.iter().map(|c| classify(c)).collect();
        let has_job_title = fields.contains(&Field::JobTitle);
        for f in &mut fields {
            if *f == Field::Title {
                *f = if has_job_title {
                    Field::Honorific
                } else {
                    Field::JobTitle
                };
            }
        }
        let linkedin = fields.contains(&Field::ConnectedOn);
        Header {
            fields,
            names: cells.iter().map(|c| c.trim().to_string()).collect(),
            linkedin,
        }
    }

    /// `column 7 (Business Phone)`.
    fn column(&self, i: usize) -> String {
        match self.names.get(i).filter(|n| !n.is_empty()) {
            Some(n) => format!("column {} ({})", i + 1, crate::text::printable(n)),
            None => format!("column {}", i + 1),
        }
    }

    /// How many columns mean something, when the row names a person at all; else 0.
    pub fn score(&self) -> usize {
        let identity = self
            .fields
            .iter()
            .any(|f| matches!(f, Field::Name | Field::First | Field::Last | Field::Email));
        let known = self.fields.iter().filter(|f| **f != Field::Ignore).count();
        if identity && (known >= 2 || self.fields.len() == 1) {
            known
        } else {
            0
        }
    }

    /// One data row as a contact, or why it is invalid. `None` for a blank row.
    pub fn record(&self, cells: &[&str]) -> Option<std::result::Result<ContactRecord, String>> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return None;
        }
        let mut r = ContactRecord::default();
        let (mut first, mut middle, mut last, mut full) = (None, None, None, None);
        let mut url = None;
        let mut nickname = None;
        for (i, f) in self.fields.iter().enumerate() {
            let Some(raw) = cells.get(i) else { break };
            let v = unguard_cell(raw.trim()).trim();
            if v.is_empty() {
                continue;
            }
            match f {
                Field::Name => full = Some(v),
                Field::First => first = Some(v),
                Field::Middle => middle = Some(v),
                Field::Last => last = Some(v),
                Field::Nickname => nickname = Some(v),
                Field::Honorific | Field::Suffix | Field::Ignore | Field::Title => {}
                Field::Company => set_once(&mut r.company, v),
                Field::JobTitle => set_once(&mut r.title, v),
                Field::Email => {
                    for e in split(v, &[":::", ";", ","], true) {
                        match super::email_problem(&e) {
                            None => r.emails.push(e),
                            Some(reason) => r.left_out.push(LeftOut {
                                field: self.column(i),
                                reason,
                            }),
                        }
                    }
                }
                Field::Phone => {
                    for p in split(v, &[":::", ";"], false) {
                        match super::phone_problem(&p) {
                            None => r.phones.push(p),
                            Some(reason) => r.left_out.push(LeftOut {
                                field: self.column(i),
                                reason,
                            }),
                        }
                    }
                }
                Field::Tags => r.tags.extend(labels(v)),
                Field::Source => set_once(&mut r.source, v),
                Field::ReferredBy => set_once(&mut r.referred_by, v),
                Field::Status => match v.parse::<Status>() {
                    Ok(s) => r.status = Some(s),
                    Err(e) => r.left_out.push(LeftOut {
                        field: self.column(i),
                        reason: e.to_string(),
                    }),
                },
                Field::Lifecycle => {
                    if r.status.is_none() {
                        r.status = lifecycle(v);
                    }
                }
                Field::Temperature => match v.parse::<Temperature>() {
                    Ok(t) => r.temperature = Some(t),
                    Err(e) => r.left_out.push(LeftOut {
                        field: self.column(i),
                        reason: e.to_string(),
                    }),
                },
                Field::LinkedIn => set_once(&mut r.linkedin_url, v),
                Field::Url => {
                    if url.is_none() && v.to_ascii_lowercase().contains("linkedin.com") {
                        url = Some(v);
                    }
                }
                Field::ConnectedOn => r.connected_on = Some(date(v)),
                Field::Notes => r.notes.push(v.to_string()),
                Field::Cadence => match cadence(v) {
                    Some(d) => r.cadence_days = Some(d),
                    None => r.left_out.push(LeftOut {
                        field: self.column(i),
                        reason: format!(
                            "cadence {v:?} is not a number of days (1 to {}) or an interval like 30d",
                            crate::domain::contact::MAX_CADENCE_DAYS
                        ),
                    }),
                },
            }
        }
        if r.linkedin_url.is_none() {
            r.linkedin_url = url.map(str::to_string);
        }
        if self.linkedin && r.source.is_none() {
            r.source = Some("linkedin".into());
        }
        let joined: Vec<&str> = [first, middle, last].into_iter().flatten().collect();
        r.name = if !joined.is_empty() {
            joined.join(" ")
        } else if let Some(n) = full.or(nickname) {
            n.to_string()
        } else {
            String::new()
        };
        r.name = crate::io::squeeze_name(&r.name);
        Some(r.finish())
    }
}

fn set_once(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        *slot = Some(v.to_string());
    }
}

/// Splits a cell holding several values: Google's ` ::: `, `;`, and for emails `,` and spaces.
fn split(v: &str, seps: &[&str], on_space: bool) -> Vec<String> {
    let mut parts = vec![v.to_string()];
    for sep in seps {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    if on_space {
        parts = parts
            .iter()
            .flat_map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim().trim_start_matches("mailto:").to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Google's labels (`* myContacts ::: Clients`) or any tag list, without Google's system
/// label "* myContacts"; "* starred" becomes "starred".
pub fn labels(v: &str) -> Vec<String> {
    split(v, &[":::", ";", ","], false)
        .into_iter()
        .map(|t| t.trim_start_matches('*').trim().to_string())
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("mycontacts"))
        .collect()
}

/// HubSpot's lifecycle stages as a contact status.
pub fn lifecycle(v: &str) -> Option<Status> {
    match normalize(v).as_str() {
        "subscriber" | "lead" | "other" => Some(Status::Lead),
        "marketingqualifiedlead" | "mql" | "salesqualifiedlead" | "sql" | "opportunity" => {
            Some(Status::Prospect)
        }
        "customer" | "evangelist" => Some(Status::Customer),
        _ => None,
    }
}

/// LinkedIn's "08 Nov 2023" (and other common forms) as `2023-11-08`; else the text as given.
pub fn date(v: &str) -> String {
    for f in [
        "%d %b %Y",
        "%Y-%m-%d",
        "%b %d, %Y",
        "%d %B %Y",
        "%B %d, %Y",
        "%m/%d/%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(v, f) {
            return d.to_string();
        }
    }
    v.to_string()
}

fn cadence(v: &str) -> Option<i64> {
    let in_range = |n: &i64| (1..=crate::domain::contact::MAX_CADENCE_DAYS).contains(n);
    if let Ok(n) = v.parse::<i64>() {
        return Some(n).filter(in_range);
    }
    v.parse::<crate::when::Interval>()
        .ok()
        .map(|i| i.approx_days() as i64)
        .filter(in_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(header: &str, row: &str) -> std::result::Result<ContactRecord, String> {
        let h: Vec<&str> = header.split(',').collect();
        let r: Vec<&str> = row.split(',').collect();
        Header::map(&h).record(&r).unwrap()
    }

    #[test]
    fn header_mapping_table() {
        for (h, f) in [
            ("Name", Field::Name),
            ("First Name", Field::First),
            ("Given Name", Field::First),
            ("Family Name", Field::Last),
            ("E-mail 1 - Value", Field::Email),
            ("E-mail 1 - Type", Field::Ignore),
            ("E-mail Address", Field::Email),
            ("E-mail 2 Address", Field::Email),
            ("E-mail Display Name", Field::Ignore),
            ("Email Address", Field::Email),
            ("EMAIL", Field::Email),
            ("Phone 1 - Value", Field::Phone),
            ("Phone 1 - Type", Field::Ignore),
            ("Mobile Phone", Field::Phone),
            ("Business Phone 2", Field::Phone),
            ("Business Fax", Field::Ignore),
            ("Phone Number", Field::Phone),
            ("Organization 1 - Name", Field::Company),
            ("Organization Name", Field::Company),
            ("Organization 1 - Title", Field::JobTitle),
            ("Company Name", Field::Company),
            ("Job Title", Field::JobTitle),
            ("Position", Field::JobTitle),
            ("Labels", Field::Tags),
            ("Group Membership", Field::Tags),
            ("Categories", Field::Tags),
            ("Lifecycle Stage", Field::Lifecycle),
            ("Lead Status", Field::Ignore),
            ("Original Source", Field::Source),
            ("URL", Field::Url),
            ("Connected On", Field::ConnectedOn),
            ("Notes", Field::Notes),
            ("linkedin_url", Field::LinkedIn),
            ("connected_on", Field::ConnectedOn),
        ] {
            assert_eq!(classify(h), f, "{h}");
        }
    }

    #[test]
    fn outlook_title_is_the_honorific() {
        let h = Header::map(&["Title", "First Name", "Last Name", "Job Title"]);
        assert_eq!(h.fields[0], Field::Honorific);
        let r = Header::map(&["Title", "First Name", "Last Name", "Job Title"])
            .record(&["Mr.", "John", "Doe", "CFO"])
            .unwrap()
            .unwrap();
        assert_eq!(r.name, "John Doe");
        assert_eq!(r.title.as_deref(), Some("CFO"));
        // Without a "Job Title" column, "Title" is the position.
        let r = rec("name,title", "Ana,CTO").unwrap();
        assert_eq!(r.title.as_deref(), Some("CTO"));
    }

    #[test]
    fn google_labels_drop_my_contacts() {
        assert_eq!(
            labels("* myContacts ::: Clients ::: VIP"),
            ["Clients", "VIP"]
        );
        assert_eq!(labels("* starred"), ["starred"]);
        let r = rec(
            "Name,E-mail 1 - Value,Labels",
            "Ana,a@x.com ::: b@x.com,* myContacts ::: Clients",
        )
        .unwrap();
        assert_eq!(r.emails, ["a@x.com", "b@x.com"]);
        assert_eq!(r.tags, ["Clients"]);
    }

    #[test]
    fn hubspot_lifecycle_is_status() {
        let r = rec(
            "First Name,Last Name,Email,Lifecycle Stage",
            "Bo,Li,bo@x.com,Marketing Qualified Lead",
        )
        .unwrap();
        assert_eq!(r.status, Some(Status::Prospect));
        let r = rec("First Name,Email,Lifecycle Stage", "Bo,bo@x.com,customer").unwrap();
        assert_eq!(r.status, Some(Status::Customer));
    }

    #[test]
    fn linkedin_url_and_connected_on_kept() {
        let r = rec(
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
            "Ana,Pereira,https://www.linkedin.com/in/ana,,Acme,VP Sales,08 Nov 2023",
        )
        .unwrap();
        assert_eq!(r.name, "Ana Pereira");
        assert_eq!(
            r.linkedin_url.as_deref(),
            Some("https://www.linkedin.com/in/ana")
        );
        assert_eq!(r.connected_on.as_deref(), Some("2023-11-08"));
        assert_eq!(r.title.as_deref(), Some("VP Sales"));
    }

    #[test]
    fn fields_that_cannot_be_read_are_left_out_naming_their_column() {
        for (header, row, kept, column, why) in [
            (
                "name,email",
                "Ana,not-an-email",
                0,
                "column 2 (email)",
                "not an email",
            ),
            (
                "name,status",
                "Ana,hot",
                0,
                "column 2 (status)",
                "lead, prospect",
            ),
            (
                "name,temperature",
                "Ana,boiling",
                0,
                "column 2 (temperature)",
                "hot",
            ),
            ("name,cadence", "Ana,often", 0, "column 2 (cadence)", "30d"),
            (
                "First Name,Business Phone,Mobile Phone,E-mail Address",
                "Ana,call reception,+1 555 0100,ana@x.example",
                2,
                "column 2 (Business Phone)",
                "\"call reception\" is not a phone number",
            ),
            (
                "Name,Phone 1 - Value",
                "Ana,BusinessPhone ::: 555 0101",
                1,
                "column 2 (Phone 1 - Value)",
                "\"BusinessPhone\"",
            ),
        ] {
            let r = rec(header, row).unwrap_or_else(|e| panic!("{row}: the person is kept: {e}"));
            assert_eq!(r.name, "Ana");
            assert_eq!(r.left_out.len(), 1, "{row}: {:?}", r.left_out);
            assert_eq!(r.left_out[0].field, column, "{row}");
            assert!(
                r.left_out[0].reason.contains(why),
                "{row}: {:?}",
                r.left_out
            );
            let fields = r.emails.len()
                + r.phones.len()
                + usize::from(r.status.is_some())
                + usize::from(r.temperature.is_some())
                + usize::from(r.cadence_days.is_some());
            assert_eq!(fields, kept, "{row}: the rest of the row is kept");
        }
        let r = rec("name,phone,email", "Ana,call reception,ana@x.example").unwrap();
        assert_eq!(r.emails, ["ana@x.example"], "the rest of the row is kept");
        assert!(r.phones.is_empty());
    }

    #[test]
    fn linkedin_exports_set_the_source() {
        let r = rec(
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
            "Ana,Pereira,https://www.linkedin.com/in/ana,,Acme,VP Sales,08 Nov 2023",
        )
        .unwrap();
        assert_eq!(r.source.as_deref(), Some("linkedin"));
        let r = rec("name,email", "Ana,ana@x.example").unwrap();
        assert_eq!(r.source, None, "other files say nothing of a source");
        let r = rec("name,connected on,source", "Ana,08 Nov 2023,event").unwrap();
        assert_eq!(r.source.as_deref(), Some("event"), "a source column wins");
    }

    #[test]
    fn invalid_rows_say_why() {
        assert!(
            rec("name,email", ",not-an-email")
                .unwrap_err()
                .starts_with("\"not-an-email\" is not an email")
        );
        assert!(Header::map(&["name", "email"]).record(&["", " "]).is_none());
        assert!(
            rec("name,phone", ",555-0100")
                .unwrap_err()
                .contains("no name")
        );
        assert_eq!(rec("name,email", ",ana@x.com").unwrap().name, "ana@x.com");
    }

    #[test]
    fn formula_guard_is_taken_off() {
        let r = rec("name,phone", "'=Ana,'+1 555 0100").unwrap();
        assert_eq!(r.name, "=Ana");
        assert_eq!(r.phones, ["+1 555 0100"]);
    }
}
