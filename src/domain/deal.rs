use super::word_enum;

word_enum!(DealStatus ("a deal status") { Open = "open", Won = "won", Lost = "lost" });

word_enum!(
    /// What happened to a deal, as its history records it.
    DealEvent ("a deal event") { Stage = "stage", Won = "won", Lost = "lost", Reopened = "reopened" }
);

/// The expected value of a deal at a stage's probability, rounded to the cent.
pub fn weighted(value_cents: i64, probability: u8) -> i64 {
    (value_cents as i128 * probability as i128 / 100) as i64
}
