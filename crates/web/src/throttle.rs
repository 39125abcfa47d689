//! Attempts per key (log-ins per address, writes per user): a fixed
//! one-minute window per key, kept in memory (a restart forgets it; the
//! per-user lock is stored).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Throttle<K = IpAddr> {
    windows: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K> Default for Throttle<K> {
    fn default() -> Self {
        Throttle {
            windows: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq> Throttle<K> {
    /// Counts an attempt by `addr`; false once it passes `per_minute`.
    pub fn allow(&self, addr: K, per_minute: u32) -> bool {
        let now = Instant::now();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        // Old windows go, so the map stays as small as the last minute.
        if w.len() > 10_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = w.entry(addr).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_to_its_count_others_are_not() {
        let t: Throttle = Throttle::default();
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        assert!((0..3).all(|_| t.allow(a, 3)));
        assert!(!t.allow(a, 3));
        assert!(t.allow(b, 3));
    }
}
