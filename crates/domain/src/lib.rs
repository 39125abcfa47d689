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
pub mod sweep;
pub mod workflow;
