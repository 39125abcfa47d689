//! The index on disk: opened, or made anew when it is missing, of another
//! version or damaged (it is derived data, so nothing is lost); one writer
//! behind a lock; each commit records the last event it includes.

use crate::schema::{self, Fields, VERSION};
use crate::tokenize::{GramTokenizer, WordTokenizer, GRAMS, WORDS};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// What a commit remembers: the schema version and the last event seq.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
struct Payload<'a> {
    #[serde(borrow)]
    version: &'a str,
    seq: i64,
}

/// What searching needs: a reader (shared with the writer's, so a commit
/// shows at once) and the fields.
#[derive(Clone)]
pub struct Reader {
    pub reader: IndexReader,
    pub fields: Fields,
}

/// An open index with its writer.
pub struct Store {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub dir: PathBuf,
    writer: IndexWriter,
    /// Whether the index was made anew when opened (it needs a rebuild).
    pub fresh: bool,
}

fn register(index: &Index) {
    index.tokenizers().register(WORDS, WordTokenizer);
    index.tokenizers().register(GRAMS, GramTokenizer);
}

impl Store {
    /// Opens the index in `dir`, or makes a new empty one there when it is
    /// missing, of another version or cannot be read.
    pub fn open(dir: &Path, heap_bytes: usize) -> Result<Store> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        match Self::open_existing(dir, heap_bytes) {
            Ok(Some(s)) => return Ok(s),
            Ok(None) => {}
            Err(e) => tracing::warn!(
                "search index at {} unusable, rebuilding: {e:#}",
                dir.display()
            ),
        }
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_dir() {
                std::fs::remove_dir_all(&p)?;
            } else {
                std::fs::remove_file(&p)?;
            }
        }
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema).context("creating the search index")?;
        Self::finish(index, fields, dir, heap_bytes, true)
    }

    fn open_existing(dir: &Path, heap_bytes: usize) -> Result<Option<Store>> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let metas = index.load_metas()?;
        let ok = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
            .is_some_and(|p| p.version == VERSION);
        let (schema, fields) = schema::build();
        if !ok || index.schema() != schema {
            return Ok(None);
        }
        // Read every segment's files once, so a damaged index is found now
        // rather than at the first query.
        let s = Self::finish(index, fields, dir, heap_bytes, false)?;
        for seg in s.reader.searcher().segment_readers() {
            seg.get_store_reader(1)?;
        }
        Ok(Some(s))
    }

    fn finish(
        index: Index,
        fields: Fields,
        dir: &Path,
        heap_bytes: usize,
        fresh: bool,
    ) -> Result<Store> {
        register(&index);
        let writer = index.writer_with_num_threads(1, heap_bytes).context(
            "opening the search index for writing (is another server using the same folder?)",
        )?;
        let reader = index
            .reader_builder()
            // Commits reload at once (`commit`); background merges are
            // picked up when they land.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Store {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
            writer,
            fresh,
        })
    }

    pub fn searcher(&self) -> Reader {
        Reader {
            reader: self.reader.clone(),
            fields: self.fields,
        }
    }

    /// The last event the committed index includes (0 when none).
    pub fn seq(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok().map(|p| p.seq))
            .unwrap_or(0)
    }

    pub fn add(&self, doc: TantivyDocument) -> Result<()> {
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes everything of a group (`matter:12`, `source:3`, `appeal:4`).
    pub fn delete_group(&self, group: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.group, group));
    }

    /// Empties the index for a rebuild. Segments are not merged in the
    /// background until [`Store::merge_all`] ends the rebuild.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.set_merge_policy(Box::new(NoMergePolicy));
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// After a rebuild: merges its segments into one and waits, then
    /// returns to merging in the background. A rebuild writes a segment
    /// per buffer of [`crate::Search`]'s heap (a hundred and more for a
    /// large database); every query pays for every segment (each term is
    /// looked up in each), and merges run behind searches would take their
    /// CPU for minutes after the rebuild (issue 15's p99).
    pub fn merge_all(&mut self) -> Result<()> {
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            self.writer.merge(&ids).wait()?;
        }
        self.writer
            .set_merge_policy(Box::new(LogMergePolicy::default()));
        self.writer.garbage_collect_files().wait()?;
        self.reader.reload()?;
        Ok(())
    }

    /// How many segments searches read.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Commits what was added, recording `seq`, and shows it to searches.
    pub fn commit(&mut self, seq: i64) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            version: VERSION,
            seq,
        })?;
        let mut c = self.writer.prepare_commit()?;
        c.set_payload(&payload);
        c.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Bytes the index takes on disk.
    pub fn size_bytes(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}
