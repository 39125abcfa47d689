//! The policy archive's rules: how one document names another, and whether
//! a document is still in force. Plain types, no I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a document does to one it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Cites,
    Repeals,
    Amends,
}

impl Relation {
    /// The code stored and written in the API.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Cites => "cites",
            Relation::Repeals => "repeals",
            Relation::Amends => "amends",
        }
    }

    pub fn from_code(code: &str) -> Option<Relation> {
        [Relation::Cites, Relation::Repeals, Relation::Amends]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// The verb, as the document page says it: 本件引用 / 本件废止 / 本件修改.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Cites => "引用",
            Relation::Repeals => "废止",
            Relation::Amends => "修改",
        }
    }
}

/// Whether a document is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 有效.
    InForce,
    /// 已修改: in force, as amended by a later document.
    Amended,
    /// 已失效: its stated term has ended.
    Expired,
    /// 已废止: a later document repealed it.
    Repealed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::InForce => "有效",
            Status::Amended => "已修改",
            Status::Expired => "已失效",
            Status::Repealed => "已废止",
        }
    }
}

/// A document's status on `today`: repealed outranks an ended term, which
/// outranks an amendment. `until` is the last day in force it states.
pub fn status(until: Option<NaiveDate>, today: NaiveDate, repealed: bool, amended: bool) -> Status {
    if repealed {
        Status::Repealed
    } else if until.is_some_and(|u| u < today) {
        Status::Expired
    } else if amended {
        Status::Amended
    } else {
        Status::InForce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_table() {
        let today = d("2026-12-07");
        let cases = [
            (None, false, false, Status::InForce),
            (Some("2026-12-07"), false, false, Status::InForce),
            (Some("2026-12-06"), false, false, Status::Expired),
            (Some("2026-12-06"), false, true, Status::Expired),
            (Some("2030-01-01"), false, true, Status::Amended),
            (Some("2030-01-01"), true, true, Status::Repealed),
            (Some("2020-01-01"), true, false, Status::Repealed),
        ];
        for (until, repealed, amended, want) in cases {
            assert_eq!(
                status(until.map(d), today, repealed, amended),
                want,
                "{until:?} {repealed} {amended}"
            );
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in [Relation::Cites, Relation::Repeals, Relation::Amends] {
            assert_eq!(Relation::from_code(r.code()), Some(r));
        }
        assert_eq!(Relation::from_code("x"), None);
    }
}
