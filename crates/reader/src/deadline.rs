//! Deadlines: finds the time limit stated in an item (`2023年底前`,
//! `4月中旬前`, `到2025年`, `每月月底前`, …) and resolves it to a date
//! against the document's own date.

use crate::model::Deadline;
use chrono::NaiveDate;

/// The deadline an item's text states, if any.
pub fn find_deadline(_text: &str, _doc_date: Option<NaiveDate>) -> Option<Deadline> {
    None
}
