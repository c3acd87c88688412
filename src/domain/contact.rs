use super::word_enum;

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
