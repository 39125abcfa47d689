//! The index's fields. Every entity is one index document keyed by
//! `kind:id`; `group` ties a matter to its reports and a source to its
//! documents so a change re-indexes them together; `see` holds who may open
//! it (`office`, `unit:{id}`, `user:{id}`), which every query filters on.

use crate::tokenize::{GRAMS, WORDS};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

/// Bumped when the fields change; an index of another version is rebuilt.
pub const VERSION: &str = "duban-search-4";

#[derive(Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub group: Field,
    pub kind: Field,
    pub entity_id: Field,
    /// The matter a report belongs to; the matter of an accepted appeal.
    pub matter_id: Field,
    pub title: Field,
    pub title_grams: Field,
    pub title_exact: Field,
    /// What a hit is called when its title is not searched (a report: its
    /// matter's title).
    pub label: Field,
    pub body: Field,
    pub grams: Field,
    /// Number, issuer, unit names, state: words searched, not shown.
    pub meta: Field,
    pub number: Field,
    pub issuer: Field,
    pub unit_name: Field,
    pub units: Field,
    pub state: Field,
    /// The day of a document (成文日期) or of creation, as yyyymmdd.
    pub day: Field,
    pub deadline: Field,
    pub see: Field,
    /// A document's source lines, `a-b,c-d`, in the order of `body`.
    pub lines: Field,
    /// A document's standing apart from time: `valid`, `amended` or
    /// `repealed` (by a held document); whether its term has ended is
    /// decided at query time from `until`.
    pub in_force: Field,
    /// A document's stated last day in force, yyyymmdd.
    pub until: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut s = Schema::builder();
    let words = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let id = NumericOptions::default().set_indexed().set_stored();
    let fields = Fields {
        key: s.add_text_field("key", STRING | STORED),
        group: s.add_text_field("group", STRING),
        kind: s.add_text_field("kind", STRING | STORED),
        entity_id: s.add_i64_field("entity_id", id.clone()),
        matter_id: s.add_i64_field("matter_id", id.clone()),
        title: s.add_text_field("title", words(true)),
        title_grams: s.add_text_field("title_grams", grams.clone()),
        title_exact: s.add_text_field("title_exact", STRING),
        label: s.add_text_field("label", STORED),
        body: s.add_text_field("body", words(true)),
        grams: s.add_text_field("grams", grams),
        meta: s.add_text_field("meta", words(false)),
        number: s.add_text_field("number", STRING | STORED),
        issuer: s.add_text_field("issuer", STRING | STORED),
        unit_name: s.add_text_field("unit_name", STRING | STORED),
        units: s.add_i64_field("units", INDEXED | STORED),
        state: s.add_text_field("state", STRING | STORED),
        day: s.add_i64_field("day", INDEXED | FAST | STORED),
        deadline: s.add_text_field("deadline", STORED),
        see: s.add_text_field("see", STRING),
        lines: s.add_text_field("lines", STORED),
        in_force: s.add_text_field("in_force", STRING | STORED),
        until: s.add_i64_field("until", INDEXED | STORED),
    };
    (s.build(), fields)
}
