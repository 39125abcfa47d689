//! The supervision domain (督查督办): units and leaders, matters and their
//! per-unit tracks, the 13710 time limits on the official working-day
//! calendar, the track state machine, and the hash-chained event log.
//!
//! Everything here is plain functions over plain types: no I/O, no SQL, no
//! HTTP. The store and the web layer adapt to it.

pub mod archive;
pub mod assess;
pub mod calendar;
pub mod clock;
pub mod events;
pub mod indicator;
pub mod limits;
pub mod matter;
pub mod org;
pub mod password;
pub mod stamp;
pub mod sweep;
pub mod workflow;

use std::fmt;

/// A domain rule refused what was asked, each refusal saying in Chinese
/// what was wrong and what to do. It stays typed through the store up to
/// the HTTP layer, which decides the status in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// An action the track's state does not allow.
    Transition(workflow::TransitionError),
    /// The calendar cannot give a limit (a year missing) or its data is bad.
    Calendar(calendar::CalendarError),
    /// A new matter or a withdrawal breaks the matter rules.
    Matter(matter::MatterError),
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Transition(e) => e.fmt(f),
            RuleError::Calendar(e) => e.fmt(f),
            RuleError::Matter(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RuleError {}

impl From<workflow::TransitionError> for RuleError {
    fn from(e: workflow::TransitionError) -> RuleError {
        RuleError::Transition(e)
    }
}

impl From<calendar::CalendarError> for RuleError {
    fn from(e: calendar::CalendarError) -> RuleError {
        RuleError::Calendar(e)
    }
}

impl From<matter::MatterError> for RuleError {
    fn from(e: matter::MatterError) -> RuleError {
        RuleError::Matter(e)
    }
}
