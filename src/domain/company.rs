#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub id: i64,
    pub name: String,
}

/// A company as the companies list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    /// Live (not archived) people.
    pub people: i64,
    pub open_deals: i64,
}
