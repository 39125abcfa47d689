//! The event log: every change (who, when, what, before and after) is an
//! entry whose hash covers the entry and the hash of the entry before it, so
//! an entry edited or removed afterwards breaks the chain at that point.
//! [`verify`] finds the first entry that does not fit. The hash is SHA-256,
//! or SM3 (GB/T 32905, for 密评) where the installation chose it
//! ([`ChainHash`]); one log uses one of them throughout.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

mod kinds;
pub use kinds::{EventKind, GROUPS as KIND_GROUPS};

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The user who acted; `None` for the system (the sweep).
    pub actor: Option<i64>,
    /// What happened, e.g. `track.sign_for`.
    pub action: String,
    /// What it happened to, e.g. `track`.
    pub entity: String,
    pub entity_id: i64,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry before it is chained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEvent {
    pub at: DateTime<Utc>,
    pub actor: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// The canonical form hashed: field order fixed, JSON objects with sorted
/// keys (serde_json's default map), times in RFC 3339 with microseconds.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: i64,
    at: String,
    actor: Option<i64>,
    action: &'a str,
    entity: &'a str,
    entity_id: i64,
    before: &'a serde_json::Value,
    after: &'a serde_json::Value,
    prev_hash: &'a str,
}

/// The SHA-256 of `bytes` in lower-case hex: the digest under which a
/// report's text and an attachment's bytes enter the chain.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash function of a log's chain, chosen when the database is made
/// and never changed afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChainHash {
    #[default]
    Sha256,
    /// SM3 (GB/T 32905-2016), the national standard hash.
    Sm3,
}

impl ChainHash {
    /// The stored name: `sha256` or `sm3`.
    pub fn name(self) -> &'static str {
        match self {
            ChainHash::Sha256 => "sha256",
            ChainHash::Sm3 => "sm3",
        }
    }

    /// The function of a stored or configured name.
    pub fn parse(name: &str) -> Option<ChainHash> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sha256" | "sha-256" => Some(ChainHash::Sha256),
            "sm3" => Some(ChainHash::Sm3),
            _ => None,
        }
    }

    fn hex(self, bytes: &[u8]) -> String {
        let raw: Vec<u8> = match self {
            ChainHash::Sha256 => Sha256::digest(bytes).to_vec(),
            ChainHash::Sm3 => sm3::Sm3::digest(bytes).to_vec(),
        };
        raw.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn digest(alg: ChainHash, seq: i64, e: &NewEvent, prev_hash: &str) -> String {
    let h = Hashed {
        seq,
        at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        actor: e.actor,
        action: &e.action,
        entity: &e.entity,
        entity_id: e.entity_id,
        before: &e.before,
        after: &e.after,
        prev_hash,
    };
    let bytes = serde_json::to_vec(&h).expect("plain data serialises");
    alg.hex(&bytes)
}

impl Event {
    /// What the entry records, without its place in the chain.
    pub fn content(&self) -> NewEvent {
        NewEvent {
            at: self.at,
            actor: self.actor,
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id,
            before: self.before.clone(),
            after: self.after.clone(),
        }
    }
}

impl NewEvent {
    /// Chains the entry after `prev` (`None` for the first entry) with
    /// SHA-256.
    pub fn chain(self, prev: Option<&Event>) -> Event {
        self.chain_with(ChainHash::Sha256, prev)
    }

    /// Chains the entry after `prev` with the log's hash function.
    pub fn chain_with(self, alg: ChainHash, prev: Option<&Event>) -> Event {
        let seq = prev.map_or(1, |p| p.seq + 1);
        let prev_hash = prev.map_or(GENESIS.to_string(), |p| p.hash.clone());
        // Times are kept to the microsecond, as the databases store them.
        let at = self.at.with_nanosecond_truncated();
        let e = NewEvent { at, ..self };
        let hash = digest(alg, seq, &e, &prev_hash);
        Event {
            seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            prev_hash,
            hash,
        }
    }
}

trait Truncate {
    fn with_nanosecond_truncated(self) -> Self;
}

impl Truncate for DateTime<Utc> {
    fn with_nanosecond_truncated(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1_000 * 1_000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    /// The sequence number of the first entry that does not fit.
    pub seq: i64,
    pub reason: ChainFault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainFault {
    /// An entry is missing or out of order.
    Gap,
    /// The entry does not point at its predecessor's hash.
    Link,
    /// The entry's content does not match its hash (it was altered).
    Content,
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.reason {
            ChainFault::Gap => "序号不连续（有记录缺失或顺序错乱）",
            ChainFault::Link => "与前一条记录的哈希不衔接",
            ChainFault::Content => "内容与其哈希不符（记录被改动过）",
        };
        write!(f, "操作日志第 {} 条{}", self.seq, what)
    }
}

impl std::error::Error for ChainError {}

/// Checks a log in order; returns the number of entries checked.
pub fn verify<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<u64, ChainError> {
    verify_from(None, events)
}

/// Checks entries that follow `prev` (an entry already checked, or `None`
/// for the start of the log), so a long log can be checked page by page.
pub fn verify_from<'a>(
    prev: Option<&'a Event>,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<u64, ChainError> {
    verify_from_with(ChainHash::Sha256, prev, events)
}

/// [`verify_from`] for a log chained with `alg`.
pub fn verify_from_with<'a>(
    alg: ChainHash,
    prev: Option<&'a Event>,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<u64, ChainError> {
    let mut prev = prev;
    let mut n = 0;
    for e in events {
        let want_seq = prev.map_or(1, |p| p.seq + 1);
        if e.seq != want_seq {
            return Err(ChainError {
                seq: e.seq,
                reason: ChainFault::Gap,
            });
        }
        let want_prev = prev.map_or(GENESIS, |p| p.hash.as_str());
        if e.prev_hash != want_prev {
            return Err(ChainError {
                seq: e.seq,
                reason: ChainFault::Link,
            });
        }
        if digest(alg, e.seq, &e.content(), &e.prev_hash) != e.hash {
            return Err(ChainError {
                seq: e.seq,
                reason: ChainFault::Content,
            });
        }
        prev = Some(e);
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn log(n: i64) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        for i in 0..n {
            let e = NewEvent {
                at: DateTime::from_timestamp(1_700_000_000 + i, 123_456_789).unwrap(),
                actor: Some(7),
                action: "track.report".into(),
                entity: "track".into(),
                entity_id: i,
                before: json!({"state": "signed_for"}),
                after: json!({"state": "signed_for", "reports": i + 1}),
            };
            let chained = e.chain(out.last());
            out.push(chained);
        }
        out
    }

    /// GB/T 32905-2016 appendix A: SM3 of "abc".
    #[test]
    fn sm3_is_the_standard_one() {
        assert_eq!(
            ChainHash::Sm3.hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(ChainHash::parse(" SM3 "), Some(ChainHash::Sm3));
        assert_eq!(ChainHash::parse("md5"), None);
    }

    #[test]
    fn an_sm3_log_verifies_with_sm3_only_and_finds_a_change() {
        let mut out: Vec<Event> = Vec::new();
        for e in log(4) {
            out.push(e.content().chain_with(ChainHash::Sm3, out.last()));
        }
        assert_ne!(out[0].hash, log(1)[0].hash, "not the SHA-256 chain");
        assert_eq!(verify_from_with(ChainHash::Sm3, None, &out), Ok(4));
        assert!(verify(&out).is_err(), "an SM3 log is not a SHA-256 one");
        out[1].after = json!({"state": "closed"});
        assert_eq!(
            verify_from_with(ChainHash::Sm3, None, &out),
            Err(ChainError {
                seq: 2,
                reason: ChainFault::Content
            })
        );
    }

    #[test]
    fn an_untouched_log_verifies() {
        assert_eq!(verify(&log(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn finds_the_first_entry_that_does_not_fit() {
        let mut altered = log(5);
        altered[2].after = json!({"state": "closed"});
        assert_eq!(
            verify(&altered),
            Err(ChainError {
                seq: 3,
                reason: ChainFault::Content
            })
        );

        let mut removed = log(5);
        removed.remove(1);
        assert_eq!(
            verify(&removed),
            Err(ChainError {
                seq: 3,
                reason: ChainFault::Gap
            })
        );

        // Re-hashing an altered entry does not help: the next one no longer links.
        let mut rehashed = log(5);
        rehashed[1].after = json!({"forged": true});
        let fixed = NewEvent {
            at: rehashed[1].at,
            actor: rehashed[1].actor,
            action: rehashed[1].action.clone(),
            entity: rehashed[1].entity.clone(),
            entity_id: rehashed[1].entity_id,
            before: rehashed[1].before.clone(),
            after: rehashed[1].after.clone(),
        }
        .chain(Some(&rehashed[0]));
        rehashed[1] = fixed;
        assert_eq!(
            verify(&rehashed),
            Err(ChainError {
                seq: 3,
                reason: ChainFault::Link
            })
        );
        assert!(verify(&rehashed)
            .unwrap_err()
            .to_string()
            .contains("第 3 条"));
    }

    #[test]
    fn times_are_kept_to_the_microsecond() {
        let e = &log(1)[0];
        assert_eq!(e.at.timestamp_subsec_nanos(), 123_456_000);
    }
}
