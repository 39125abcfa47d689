//! Full-text search over what Duban holds: documents (their text as
//! stored, line by line), matters, reports and problems raised with their
//! answers. A tantivy index with a Chinese segmenter whose dictionary is
//! compiled in (jieba) plus character bigrams for exact runs (unit names,
//! places, 发文字号); no HTTP here.
//!
//! The index is derived data: [`Search::rebuild`] makes it from the
//! database, [`Search::start`] opens it (made anew when missing or
//! damaged, rebuilt in the background while searches are answered) and
//! follows the event log, so every server on one database catches up with
//! the others' changes within a poll. [`Search::similar`] finds matters
//! that look like the same work as a new one (`similar`).

pub mod index;
pub mod load;
pub mod query;
pub mod schema;
pub mod similar;
pub mod snippet;
pub mod tokenize;

pub use load::Counts;
pub use query::{Hit, Query, Results, Viewer, KINDS};
pub use similar::{Probe, Similar};
pub use snippet::Piece;

use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Memory the writer may buffer before it writes a segment.
const HEAP: usize = 32 << 20;

/// An open search index over a store.
pub struct Search {
    store: duban_store::Store,
    reader: index::Reader,
    writer: tokio::sync::Mutex<index::Store>,
    rebuilding: AtomicBool,
    /// The last event the committed index includes, read without the lock.
    indexed: AtomicI64,
    dir: PathBuf,
}

impl Search {
    /// Opens (or makes) the index in `dir`. A new index is empty until
    /// [`Search::rebuild`].
    pub fn open(store: duban_store::Store, dir: &Path) -> Result<Arc<Search>> {
        let idx = index::Store::open(dir, HEAP)?;
        let needs = idx.fresh;
        let seq = idx.seq();
        Ok(Arc::new(Search {
            indexed: AtomicI64::new(seq),
            store,
            reader: idx.searcher(),
            writer: tokio::sync::Mutex::new(idx),
            rebuilding: AtomicBool::new(needs),
            dir: dir.to_path_buf(),
        }))
    }

    /// Opens the index in `dir` for a server, never failing: when `dir`
    /// cannot be used (another server holds it, no permission) a folder of
    /// this process's own under the temporary directory is used. A new
    /// index is rebuilt in the background; then the event log is followed
    /// every `poll`.
    pub fn start(store: duban_store::Store, dir: &Path, poll: Duration) -> Result<Arc<Search>> {
        let s = match Search::open(store.clone(), dir) {
            Ok(s) => s,
            Err(e) => {
                static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                let own = std::env::temp_dir().join(format!(
                    "duban-search-own-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ));
                tracing::warn!(
                    "search index folder {} cannot be used ({e:#}); using {}",
                    dir.display(),
                    own.display()
                );
                Search::open(store, &own)?
            }
        };
        let bg = s.clone();
        tokio::spawn(async move {
            if bg.rebuilding.load(Ordering::SeqCst) {
                match bg.rebuild().await {
                    Ok(n) => tracing::info!(?n, "search index rebuilt"),
                    Err(e) => tracing::error!("search index rebuild failed: {e:#}"),
                }
            }
            loop {
                tokio::time::sleep(poll).await;
                if let Err(e) = bg.catch_up().await {
                    tracing::warn!("search index catch-up failed: {e:#}");
                }
            }
        });
        Ok(s)
    }

    /// Where the index lives.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a rebuild is under way (results may be incomplete).
    pub fn rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::SeqCst)
    }

    /// Empties the index and indexes the whole database.
    pub async fn rebuild(&self) -> Result<Counts> {
        self.rebuilding.store(true, Ordering::SeqCst);
        let mut w = self.writer.lock().await;
        let r = load::rebuild(&self.store, &mut w).await;
        self.indexed.store(w.seq(), Ordering::SeqCst);
        self.rebuilding.store(false, Ordering::SeqCst);
        r
    }

    /// Re-indexes what changed since the last event indexed. Skipped (0)
    /// while a rebuild or another catch-up holds the writer.
    pub async fn catch_up(&self) -> Result<usize> {
        match self.writer.try_lock() {
            Ok(mut w) => self.catch_up_with(&mut w).await,
            Err(_) => Ok(0),
        }
    }

    async fn catch_up_with(&self, w: &mut index::Store) -> Result<usize> {
        let n = load::catch_up(&self.store, w).await;
        self.indexed.store(w.seq(), Ordering::SeqCst);
        n
    }

    /// Before a search: when the event log has moved past the index, waits
    /// for (or runs) the catch-up, so a change made just before is found.
    /// Returns at once while a rebuild runs.
    pub async fn refresh(&self) -> Result<()> {
        if self.rebuilding() {
            return Ok(());
        }
        let last = self.store.last_event_seq().await?;
        if last <= self.indexed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut w = self.writer.lock().await;
        if !self.rebuilding() && last > w.seq() {
            self.catch_up_with(&mut w).await?;
        }
        Ok(())
    }

    /// The last event the index includes.
    pub async fn seq(&self) -> i64 {
        self.writer.lock().await.seq()
    }

    /// How many segments searches read.
    pub async fn segments(&self) -> usize {
        self.writer.lock().await.segments()
    }

    /// Bytes the index takes on disk.
    pub async fn size_bytes(&self) -> u64 {
        self.writer.lock().await.size_bytes()
    }

    /// Runs a query for a viewer (CPU work: call it off the async workers
    /// where latency matters).
    pub fn query(&self, q: &Query, v: &Viewer) -> Result<Results> {
        query::search(&self.reader, q, v)
    }

    /// Matters that look like the same work as `p` (CPU work, as `query`).
    pub fn similar(&self, p: &Probe) -> Result<Vec<Similar>> {
        similar::similar(&self.reader, p)
    }
}
