//! How long a one-line field may be: a name, a company, a title, an email, a phone, a tag, a
//! source, a deal's title. Free text (a note, a follow-up's text) has no bound.
//!
//! Why a bound at all: PostgreSQL refuses an index entry over about 2.7 kB, and the server
//! book indexes these fields (names for the daily list and lookups, emails, phones and tags
//! as keys), so a 3 kB name that SQLite took would stop the same book on a server. One bound,
//! checked before either engine sees the row, keeps both books equal and every refusal clear.
//! 200 characters is past any real name (web CRMs stop a name at 255 and less).

/// The most characters a one-line field holds.
pub const LINE_MAX: usize = 200;

/// Refuses a one-line field past [`LINE_MAX`] characters: `"the name is 6,000 characters
/// long; at most 200"`. `what` names the field as the user knows it ("the name", "an email").
pub fn check_line(what: &str, value: &str) -> Result<(), String> {
    let n = value.trim().chars().count();
    if n > LINE_MAX {
        Err(format!(
            "{what} is {} characters long; at most {LINE_MAX}",
            crate::text::thousands(n)
        ))
    } else {
        Ok(())
    }
}

/// As [`check_line`], for each of a list (emails, phones, tags).
pub fn check_lines(what: &str, values: &[String]) -> Result<(), String> {
    values.iter().try_for_each(|v| check_line(what, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_may_hold_two_hundred_characters_of_any_width() {
        assert!(check_line("the name", &"é".repeat(LINE_MAX)).is_ok());
        assert!(check_line("the name", &format!("  {}  ", "a".repeat(LINE_MAX))).is_ok());
        assert_eq!(
            check_line("the name", &"山".repeat(6000)),
            Err("the name is 6,000 characters long; at most 200".to_string())
        );
        let tags = vec!["ok".to_string(), "x".repeat(201)];
        assert_eq!(
            check_lines("a tag", &tags),
            Err("a tag is 201 characters long; at most 200".to_string())
        );
    }
}
