//! Matters (督办事项) and their per-unit tracks: assignment, every workflow
//! action through the domain's state machine, optimistic versions,
//! withdrawal, and the queries of the board and the sweep.
//!
//! Each track row keeps copies of what the board filters on: its state, its
//! earliest unmet limit (`next_due`), the first day its light turns yellow
//! for that limit (`yellow_from`) and, when the calendar lacks a year the
//! limits need, the reason (`due_error`). With those a light is a comparison
//! with today in SQL, one text for both backends, and it agrees with
//! [`duban_domain::limits::light`]: the earliest unmet limit only changes
//! when someone acts on the track (every action recomputes the copies, with
//! [`duban_domain::limits::due_info`]) or the calendar changes (which
//! recomputes every open track, see [`crate::calendar`]).

use crate::db::{Row, Tx, Val};
use crate::events::{append, new_event, EventKind};
use crate::office::{HandlerOf, NoticeNumber};
use crate::stats::{self, TrackFacts};
use crate::{args, micros, Error, Result, Store};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use duban_domain::calendar::Calendar;
use duban_domain::limits::{due_info, DueInfo};
use duban_domain::matter::{
    self, Matter, MatterId, MatterKind, MatterStatus, MatterType, Role, Source, TrackId, UnitId,
    UserId,
};
use duban_domain::workflow::{self, Action, Track};
use serde::Serialize;
use serde_json::json;

/// A matter to create and assign.
#[derive(Debug, Clone)]
pub struct NewMatter {
    pub title: String,
    pub detail: String,
    pub matter_type: MatterType,
    pub source: Source,
    pub deadline: Option<NaiveDate>,
    pub targets: serde_json::Value,
    pub lead: Vec<UnitId>,
    pub co: Vec<UnitId>,
    /// The enterprise or member of the public who raised it, if any.
    pub raised_by: Option<UserId>,
}

/// A stored track with its version and next limit.
#[derive(Debug, Clone, Serialize)]
pub struct TrackRecord {
    #[serde(flatten)]
    pub track: Track,
    pub version: i64,
    pub next_due: Option<NaiveDate>,
}

/// A stored matter with its version, targets and tracks.
#[derive(Debug, Clone, Serialize)]
pub struct MatterRecord {
    #[serde(flatten)]
    pub matter: Matter,
    pub version: i64,
    pub targets: serde_json::Value,
    pub raised_by: Option<UserId>,
    pub tracks: Vec<TrackRecord>,
}

/// A matter as its page shows it: the record, its printed notice's
/// number and its tracks' 承办人 ([`Store::matter_page`]).
#[derive(Debug, Clone)]
pub struct MatterPage {
    pub record: MatterRecord,
    pub notice: Option<NoticeNumber>,
    pub handlers: Vec<HandlerOf>,
}

/// What the board and the sweep filter tracks by.
#[derive(Debug, Clone, Default)]
pub struct TrackFilter {
    /// Only tracks of these units.
    pub units: Option<Vec<UnitId>>,
    pub matter: Option<MatterId>,
    /// Only open tracks (neither closed nor withdrawn).
    pub open_only: bool,
    /// Only tracks whose next limit is on or before this day.
    pub due_by: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

/// A light to filter by: the domain's four, and `Unknown` for open tracks
/// whose limits need a calendar year nobody entered yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LightFilter {
    Green,
    Yellow,
    Red,
    Done,
    Unknown,
}

/// The order of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardSort {
    /// Newest first (the default).
    #[default]
    Newest,
    Oldest,
    /// The matter's own deadline, soonest first, matters without one last.
    Deadline,
    /// The matter's own deadline, latest first, matters without one last.
    DeadlineDesc,
    /// The earliest unmet limit of the tracks in view, soonest first.
    Due,
}

/// The board's query. Track conditions (`units`, `role`, `track_state`,
/// `light`, `due_by`) apply to the tracks in view: a matter is listed when
/// one of its tracks in view matches, and its light is the worst light of
/// those tracks (red, then unknown, yellow, green; done when none is open).
#[derive(Debug, Clone)]
pub struct BoardQuery {
    /// Only matters raised by this user (the public's view).
    pub raised_by: Option<UserId>,
    /// The tracks in view: only these units' (the caller's scope and the
    /// filters, intersected); `None` for every track.
    pub units: Option<Vec<UnitId>>,
    pub role: Option<Role>,
    /// Some track in view is in this state (a [`duban_domain::workflow::TrackState::code`]).
    pub track_state: Option<String>,
    pub status: Option<MatterStatus>,
    /// The source's tag: document, meeting, instruction, list, appeal.
    pub source_kind: Option<String>,
    pub kind: Option<MatterKind>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
    /// Some open track in view has an unmet limit on or before this day.
    pub due_by: Option<NaiveDate>,
    pub light: Option<LightFilter>,
    /// A piece of the title.
    pub text: Option<String>,
    pub today: NaiveDate,
    pub sort: BoardSort,
    pub limit: i64,
    pub offset: i64,
    /// Keyset paging: the page starts after this row of the same sort
    /// (the previous page's [`BoardPage::next`]); `offset` is then 0.
    pub after: Option<BoardCursor>,
}

impl BoardQuery {
    /// Every matter, in `sort`, `limit` a page, judged on `today`; set the
    /// fields to filter.
    pub fn all(today: NaiveDate, sort: BoardSort, limit: i64) -> BoardQuery {
        BoardQuery {
            raised_by: None,
            units: None,
            role: None,
            track_state: None,
            status: None,
            source_kind: None,
            kind: None,
            deadline_from: None,
            deadline_to: None,
            due_by: None,
            light: None,
            text: None,
            today,
            sort,
            limit,
            offset: 0,
            after: None,
        }
    }
}

/// One page of the board and how many matters match in all.
#[derive(Debug, Clone)]
pub struct BoardPage {
    pub matters: Vec<MatterRecord>,
    pub total: i64,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<BoardCursor>,
}

/// A position in the board for keyset paging: the sort key and id of the
/// last row of a page. The next page is the rows after it in the same
/// order, found through the index instead of by walking past `offset`
/// rows, so every page costs what the first does, and a matter created or
/// closed meanwhile neither repeats nor skips a row.
///
/// Its text form (`after=` in the API) is the id alone for the sorts by
/// creation (`1234`), and `<sort>.<date or none>.<id>` for the sorts by a
/// date (`due.2026-12-01.1234`, `deadline.none.77`), so a cursor given to
/// another sort is refused rather than misread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCursor {
    pub sort: BoardSort,
    /// The last row's deadline or earliest limit (`YYYY-MM-DD`); `None`
    /// when it had none, or for the sorts by creation.
    pub key: Option<NaiveDate>,
    pub id: MatterId,
}

impl BoardSort {
    /// The sort's name in the API's `sort` parameter and in cursors.
    pub fn tag(self) -> &'static str {
        match self {
            BoardSort::Newest => "newest",
            BoardSort::Oldest => "oldest",
            BoardSort::Deadline => "deadline",
            BoardSort::DeadlineDesc => "-deadline",
            BoardSort::Due => "due",
        }
    }

    fn by_date(self) -> bool {
        matches!(
            self,
            BoardSort::Deadline | BoardSort::DeadlineDesc | BoardSort::Due
        )
    }
}

impl BoardCursor {
    /// Reads a cursor for `sort`; the message (Chinese) says what to do.
    pub fn parse(text: &str, sort: BoardSort) -> std::result::Result<BoardCursor, String> {
        let bad = || {
            format!(
                "翻页位置 after“{text}”无效：应为上一页返回的 next 值，且排序（sort）与上一页相同；从第一页开始请去掉 after"
            )
        };
        let text = text.trim();
        if !sort.by_date() {
            let id = text
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(bad)?;
            return Ok(BoardCursor {
                sort,
                key: None,
                id,
            });
        }
        let mut parts = text.rsplitn(3, '.');
        let (Some(id), Some(key), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if tag != sort.tag() {
            return Err(bad());
        }
        let (key, id) = key_and_id(key, id).ok_or_else(bad)?;
        Ok(BoardCursor { sort, key, id })
    }
}

/// A cursor's date (`none` for none) and positive id, read from their text.
fn key_and_id(key: &str, id: &str) -> Option<(Option<NaiveDate>, i64)> {
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    let key = match key {
        "none" => None,
        k => Some(k.parse::<NaiveDate>().ok()?),
    };
    Some((key, id))
}

impl std::fmt::Display for BoardCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.sort.by_date() {
            return write!(f, "{}", self.id);
        }
        match self.key {
            Some(k) => write!(f, "{}.{k}.{}", self.sort.tag(), self.id),
            None => write!(f, "{}.none.{}", self.sort.tag(), self.id),
        }
    }
}

/// The track list's query (a unit's to-do list, the office's review queue).
#[derive(Debug, Clone)]
pub struct TrackQuery {
    /// Only these units' tracks; `None` for all.
    pub units: Option<Vec<UnitId>>,
    pub matter: Option<MatterId>,
    /// Only open tracks (neither closed nor withdrawn).
    pub open_only: bool,
    /// A [`duban_domain::workflow::TrackState::code`].
    pub state: Option<String>,
    pub role: Option<Role>,
    pub light: Option<LightFilter>,
    /// Only tracks with an unmet limit on or before this day.
    pub due_by: Option<NaiveDate>,
    /// Only tracks whose extension request waits for the office.
    pub extension_pending: bool,
    /// Only tracks passed to this 承办人.
    pub handler: Option<UserId>,
    pub today: NaiveDate,
    pub limit: i64,
    pub offset: i64,
    /// Keyset paging: the list starts after the track with this next limit
    /// (`None`: it had none) and id, the previous page's last row.
    pub after: Option<TrackCursor>,
}

/// A position in a list of tracks ordered by next limit then id (tracks
/// without a limit last): the last row of a page. Text form
/// `<YYYY-MM-DD or none>.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackCursor {
    pub next_due: Option<NaiveDate>,
    pub id: TrackId,
}

impl TrackCursor {
    /// The cursor after `row`.
    pub fn after(row: &TrackRecord) -> TrackCursor {
        TrackCursor {
            next_due: row.next_due,
            id: row.track.id,
        }
    }

    /// Reads a cursor; the message (Chinese) says what to do.
    pub fn parse(text: &str) -> std::result::Result<TrackCursor, String> {
        let bad = || {
            format!(
                "翻页位置 after“{text}”无效：应为上一页返回的 next 值；从第一页开始请去掉 after"
            )
        };
        let (key, id) = text.trim().rsplit_once('.').ok_or_else(bad)?;
        let (next_due, id) = key_and_id(key, id).ok_or_else(bad)?;
        Ok(TrackCursor { next_due, id })
    }
}

impl std::fmt::Display for TrackCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.next_due {
            Some(d) => write!(f, "{d}.{}", self.id),
            None => write!(f, "none.{}", self.id),
        }
    }
}

/// A track with what a list shows beside it.
#[derive(Debug, Clone)]
pub struct TrackRow {
    pub record: TrackRecord,
    pub matter_title: String,
    pub matter_type: MatterType,
    pub matter_status: MatterStatus,
    pub unit_name: String,
}

/// The tag of a source (`document`, `meeting`, …), as stored in
/// `source_kind`.
pub fn source_kind(s: &Source) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(String::from))
        .unwrap_or_default()
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(crate) fn track_record(r: &Row) -> Result<TrackRecord> {
    track_in(r, &TrackColumns::PLAIN)?.ok_or_else(|| Error::Corrupt("data is null".into()))
}

/// The names of a track's columns in a row: its own (`tracks`), or those
/// it has beside its matter's in a join ([`TRACK_JOINED`]).
pub(crate) struct TrackColumns {
    data: &'static str,
    version: &'static str,
    next_due: &'static str,
}

impl TrackColumns {
    const PLAIN: TrackColumns = TrackColumns {
        data: "data",
        version: "version",
        next_due: "next_due",
    };
    const JOINED: TrackColumns = TrackColumns {
        data: "track_data",
        version: "track_version",
        next_due: "track_next_due",
    };
}

/// The track in `r` under the column names `c`; none where they are null
/// (a matter without tracks in a join). The track's JSON is parsed where it
/// lies.
fn track_in(r: &Row, c: &TrackColumns) -> Result<Option<TrackRecord>> {
    let Some(track) = r.opt_json(c.data)? else {
        return Ok(None);
    };
    Ok(Some(TrackRecord {
        track,
        version: r.i64(c.version)?,
        next_due: r.opt_str(c.next_due)?.and_then(|s| s.parse().ok()),
    }))
}

/// A matter's tracks as columns beside the matter's (`LEFT JOIN tracks t`),
/// read back by [`with_tracks`] under [`TrackColumns::JOINED`].
const TRACK_JOINED: &str =
    "t.data AS track_data, t.version AS track_version, t.next_due AS track_next_due";

/// Matters with their tracks from rows of matters joined to their tracks
/// ([`TRACK_JOINED`]), a matter's rows together and its tracks in order; a
/// matter without tracks has one row with the track columns null. With
/// `keep`, a row is read only while fewer than `keep` matters are done:
/// the rest is skipped unread.
fn with_tracks(rows: &[Row], keep: Option<usize>) -> Result<Vec<MatterRecord>> {
    let mut out: Vec<MatterRecord> = Vec::new();
    for r in rows {
        let id = r.i64("id")?;
        if out.last().is_none_or(|m| m.matter.id != id) {
            if keep.is_some_and(|k| out.len() == k) {
                break;
            }
            let (matter, version, targets, raised_by) = matter_from(r)?;
            out.push(MatterRecord {
                matter,
                version,
                targets,
                raised_by,
                tracks: Vec::new(),
            });
        }
        if let Some(track) = track_in(r, &TrackColumns::JOINED)? {
            out.last_mut().expect("pushed above").tracks.push(track);
        }
    }
    Ok(out)
}

fn status_from(s: &str) -> Result<MatterStatus> {
    serde_json::from_value(json!(s)).map_err(|e| Error::Corrupt(e.to_string()))
}

pub(crate) fn matter_from(r: &Row) -> Result<(Matter, i64, serde_json::Value, Option<UserId>)> {
    let created: NaiveDateTime = r.json("created_local")?;
    Ok((
        Matter {
            id: r.i64("id")?,
            title: r.str("title")?,
            detail: r.str("body")?,
            matter_type: r.json("matter_type")?,
            source: r.json("source")?,
            deadline: r.opt_str("deadline")?.and_then(|s| s.parse().ok()),
            status: status_from(&r.str("status")?)?,
            created_at: created,
        },
        r.i64("version")?,
        r.json("targets")?,
        r.opt_i64("raised_by")?,
    ))
}

pub(crate) const MATTER_COLUMNS: &str =
    "id, title, body, source, matter_type, deadline, targets, status, raised_by, version, created_local";

/// [`MATTER_COLUMNS`] of the matter aliased `m`.
fn matter_columns_m() -> String {
    MATTER_COLUMNS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A comma-separated list of ids for `IN (…)`; ids are integers, so this is
/// safe to inline.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|u| u.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// A statement being built: its text and the values bound to it.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Val>,
}

impl Sql {
    /// Binds a value and returns its placeholder.
    fn bind(&mut self, v: impl Into<Val>) -> String {
        self.args.push(v.into());
        format!("${}", self.args.len())
    }
}

/// Neither closed nor withdrawn, of the track aliased `t`.
const OPEN: &str = "t.state NOT IN ('closed', 'withdrawn')";

/// The light of the track aliased `t` on the day bound at `today`, as SQL.
fn light_sql(light: LightFilter, today: &str) -> String {
    let red = format!("({OPEN} AND t.next_due IS NOT NULL AND t.next_due < {today})");
    let yellow = format!(
        "({OPEN} AND t.next_due IS NOT NULL AND t.next_due >= {today} \
         AND t.yellow_from IS NOT NULL AND t.yellow_from <= {today})"
    );
    let unknown = format!("({OPEN} AND t.due_error IS NOT NULL)");
    match light {
        LightFilter::Red => red,
        LightFilter::Yellow => yellow,
        LightFilter::Unknown => unknown,
        LightFilter::Green => format!("({OPEN} AND NOT {red} AND NOT {yellow} AND NOT {unknown})"),
        LightFilter::Done => format!("(NOT {OPEN})"),
    }
}

/// The tracks in view of the matter aliased `m`, as a condition on `t`.
fn in_view(units: &Option<Vec<UnitId>>, role: Option<Role>) -> String {
    format!("t.matter_id = m.id AND {}", tracks_in_view(units, role))
}

/// Whether the board's query filters by nothing but the matters' status,
/// so its total is the kept count ([`Store::matter_total`]).
fn plain_board(q: &BoardQuery) -> bool {
    q.raised_by.is_none()
        && q.units.is_none()
        && q.role.is_none()
        && q.track_state.is_none()
        && q.source_kind.is_none()
        && q.kind.is_none()
        && q.deadline_from.is_none()
        && q.deadline_to.is_none()
        && q.due_by.is_none()
        && q.light.is_none()
        && q.text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// The tracks in view of any matter, as a condition on `t`.
fn tracks_in_view(units: &Option<Vec<UnitId>>, role: Option<Role>) -> String {
    let mut c = String::from("1 = 1");
    if let Some(u) = units {
        c.push_str(&format!(" AND t.unit_id IN ({})", id_list(u)));
    }
    if let Some(r) = role {
        c.push_str(&format!(" AND t.role = '{}'", r.code()));
    }
    c
}

impl Store {
    /// Creates a matter and assigns it: one track per lead and co-operating
    /// unit, each recorded in the event log. Limits the calendar cannot
    /// compute are left for the sweep to report.
    pub async fn create_matter(
        &self,
        actor: Option<UserId>,
        m: NewMatter,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<MatterRecord> {
        let mut tx = self.pool.begin().await?;
        let record = insert_matter(&mut tx, actor, m, now, cal, false).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// As [`Store::create_matter`], but refuses (`Error::Invalid`, saying
    /// which year an admin must enter) when a limit falls in a year the
    /// calendar lacks.
    pub async fn create_matter_checked(
        &self,
        actor: Option<UserId>,
        m: NewMatter,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<MatterRecord> {
        let mut tx = self.pool.begin().await?;
        let record = insert_matter(&mut tx, actor, m, now, cal, true).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub async fn matter(&self, id: MatterId) -> Result<MatterRecord> {
        Ok(self.matter_page(id).await?.record)
    }

    /// A matter with its tracks, its notice's number and its tracks'
    /// 承办人, in one statement: every page and action on a matter starts
    /// here.
    pub async fn matter_page(&self, id: MatterId) -> Result<MatterPage> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT {}, m.notice_year, m.notice_no, {TRACK_JOINED}, \
                 t.id AS track_id, t.handler_id AS track_handler, h.name AS track_handler_name \
                 FROM matters m LEFT JOIN tracks t ON t.matter_id = m.id \
                 LEFT JOIN users h ON h.id = t.handler_id \
                 WHERE m.id = $1 ORDER BY t.id",
                matter_columns_m()
            )
        });
        let rows = self.pool.fetch(&SQL, args![id]).await?;
        let record = with_tracks(&rows, None)?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("事项 {id} 不存在")))?;
        let first = &rows[0];
        let notice = match (first.opt_i64("notice_year")?, first.opt_i64("notice_no")?) {
            (Some(y), Some(n)) => Some(NoticeNumber {
                year: i32::try_from(y).unwrap_or_default(),
                number: n,
            }),
            _ => None,
        };
        let mut handlers = Vec::new();
        for r in &rows {
            if let (Some(track_id), Some(handler_id), Some(handler_name)) = (
                r.opt_i64("track_id")?,
                r.opt_i64("track_handler")?,
                r.opt_str("track_handler_name")?,
            ) {
                handlers.push(HandlerOf {
                    track_id,
                    handler_id,
                    handler_name,
                });
            }
        }
        Ok(MatterPage {
            record,
            notice,
            handlers,
        })
    }

    /// Matters, newest first; `raised_by` keeps only those a user raised.
    pub async fn matters(
        &self,
        raised_by: Option<UserId>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(Matter, i64)>> {
        let rows = match raised_by {
            Some(u) => {
                self.pool
                    .fetch(
                        &format!("SELECT {MATTER_COLUMNS} FROM matters WHERE raised_by = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"),
                        args![u, limit, offset],
                    )
                    .await?
            }
            None => {
                self.pool
                    .fetch(&format!("SELECT {MATTER_COLUMNS} FROM matters ORDER BY id DESC LIMIT $1 OFFSET $2"), args![limit, offset])
                    .await?
            }
        };
        rows.iter()
            .map(|r| matter_from(r).map(|(m, v, _, _)| (m, v)))
            .collect()
    }

    /// The tracks of some matters, by matter then id (assignment order).
    pub async fn tracks_of_matters(&self, ids: &[MatterId]) -> Result<Vec<TrackRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT data, version, next_due FROM tracks WHERE {} ORDER BY matter_id, id",
                    self.pool.in_ids("matter_id", "$1")
                ),
                vec![self.pool.ids(ids)],
            )
            .await?;
        rows.iter().map(track_record).collect()
    }

    /// How many matters there are, of one status or in all, from the
    /// counts the database keeps by trigger as matters are written
    /// (`matter_counts`, migration 0016): no pass over the matters.
    pub async fn matter_total(&self, status: Option<MatterStatus>) -> Result<i64> {
        let r = match status {
            Some(st) => {
                self.pool
                    .fetch_opt(
                        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM matter_counts WHERE status = $1",
                        args![st.code()],
                    )
                    .await?
            }
            None => {
                self.pool
                    .fetch_opt("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM matter_counts", args![])
                    .await?
            }
        };
        r.map(|r| r.i64("n")).transpose().map(|n| n.unwrap_or(0))
    }

    /// One page of the board, and the number of matters that match. Every
    /// filter is SQL, so a page costs the same among thousands of matters.
    pub async fn board(&self, q: &BoardQuery) -> Result<BoardPage> {
        if q.units.as_ref().is_some_and(|u| u.is_empty()) {
            return Ok(BoardPage {
                matters: Vec::new(),
                total: 0,
                next: None,
            });
        }
        let mut s = Sql::default();
        let mut conds: Vec<String> = Vec::new();
        let view = in_view(&q.units, q.role);
        let exists =
            |cond: &str| format!("EXISTS (SELECT 1 FROM tracks t WHERE {view} AND {cond})");
        if let Some(u) = q.raised_by {
            conds.push(format!("m.raised_by = {}", s.bind(u)));
        }
        if let Some(st) = q.status {
            conds.push(format!("m.status = '{}'", st.code()));
        }
        if let Some(k) = &q.source_kind {
            conds.push(format!("m.source_kind = {}", s.bind(k.as_str())));
        }
        if let Some(k) = q.kind {
            conds.push(format!("m.type_kind = '{}'", k.code()));
        }
        if let Some(d) = q.deadline_from {
            conds.push(format!(
                "m.deadline IS NOT NULL AND m.deadline >= {}",
                s.bind(d.to_string())
            ));
        }
        if let Some(d) = q.deadline_to {
            conds.push(format!(
                "m.deadline IS NOT NULL AND m.deadline <= {}",
                s.bind(d.to_string())
            ));
        }
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            conds.push(format!(
                "m.title LIKE {} ESCAPE '\\'",
                s.bind(format!("%{escaped}%"))
            ));
        }
        if q.units.is_some() {
            // Driven from the units' tracks (their index), not by probing
            // every matter: a unit's few thousand matters among a million
            // are counted and paged without a pass over the rest.
            conds.push(format!(
                "m.id IN (SELECT t.matter_id FROM tracks t WHERE {})",
                tracks_in_view(&q.units, q.role)
            ));
        } else if q.role.is_some() {
            conds.push(exists("1 = 1"));
        }
        if let Some(state) = &q.track_state {
            let p = s.bind(state.as_str());
            conds.push(exists(&format!("t.state = {p}")));
        }
        if let Some(d) = q.due_by {
            let p = s.bind(d.to_string());
            conds.push(exists(&format!(
                "{OPEN} AND t.next_due IS NOT NULL AND t.next_due <= {p}"
            )));
        }
        if let Some(light) = q.light {
            let today = s.bind(q.today.to_string());
            let e = |l: LightFilter| exists(&light_sql(l, &today));
            let cond = match light {
                LightFilter::Red => e(LightFilter::Red),
                LightFilter::Unknown => {
                    format!(
                        "{} AND NOT {}",
                        e(LightFilter::Unknown),
                        e(LightFilter::Red)
                    )
                }
                LightFilter::Yellow => format!(
                    "{} AND NOT {} AND NOT {}",
                    e(LightFilter::Yellow),
                    e(LightFilter::Red),
                    e(LightFilter::Unknown)
                ),
                LightFilter::Green => format!(
                    "{} AND NOT {} AND NOT {} AND NOT {}",
                    exists(OPEN),
                    e(LightFilter::Red),
                    e(LightFilter::Yellow),
                    e(LightFilter::Unknown)
                ),
                LightFilter::Done => format!("NOT {}", exists(OPEN)),
            };
            conds.push(cond);
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        // The earliest limit of each matter's open tracks in view, computed
        // in one pass over the tracks and joined: a correlated MIN per
        // matter lets PostgreSQL walk the whole `next_due` index per row
        // when its statistics are stale.
        let (join, order, key) = match q.sort {
            BoardSort::Newest => (String::new(), "m.id DESC", None),
            BoardSort::Oldest => (String::new(), "m.id", None),
            BoardSort::Deadline => (
                String::new(),
                "m.deadline IS NULL, m.deadline, m.id",
                Some("m.deadline"),
            ),
            BoardSort::DeadlineDesc => (
                String::new(),
                "m.deadline IS NULL, m.deadline DESC, m.id DESC",
                Some("m.deadline"),
            ),
            BoardSort::Due => (
                format!(
                    " LEFT JOIN (SELECT t.matter_id, MIN(t.next_due) AS due FROM tracks t \
                     WHERE {} AND {OPEN} GROUP BY t.matter_id) d ON d.matter_id = m.id",
                    tracks_in_view(&q.units, q.role)
                ),
                "d.due IS NULL, d.due, m.id",
                Some("d.due"),
            ),
        };
        // The plain board's count is kept (`matter_counts`) and read in the
        // page's statement; a filtered count is a statement of its own.
        let plain = plain_board(q);
        let total = if plain {
            None
        } else {
            Some(
                self.pool
                    .fetch_opt(
                        &format!("SELECT COUNT(*) AS n FROM matters m{filter}"),
                        s.args.clone(),
                    )
                    .await?
                    .map(|r| r.i64("n"))
                    .transpose()?
                    .unwrap_or(0),
            )
        };
        let mut filter = filter;
        if let Some(after) = q.after.as_ref().filter(|a| a.sort == q.sort) {
            let id = s.bind(after.id);
            let desc = matches!(q.sort, BoardSort::Newest | BoardSort::DeadlineDesc);
            let (cmp, id_cmp) = if desc { ("<", "<") } else { (">", ">") };
            let cond = match (key, after.key) {
                (None, _) => format!("m.id {id_cmp} {id}"),
                (Some(k), Some(d)) => {
                    let d = s.bind(d.to_string());
                    format!("({k} IS NULL OR {k} {cmp} {d} OR ({k} = {d} AND m.id {id_cmp} {id}))")
                }
                (Some(k), None) => format!("({k} IS NULL AND m.id {id_cmp} {id})"),
            };
            filter = if filter.is_empty() {
                format!(" WHERE {cond}")
            } else {
                format!("{filter} AND {cond}")
            };
        }
        // One row more than the page tells whether a next page exists.
        let page_size = q.limit.max(1);
        // Written as numbers, not parameters: with a parameter for LIMIT
        // PostgreSQL's generic plan expects a tenth of the table, so it
        // planned the statement again on every request (0.2–0.4 ms).
        let limit = page_size + 1;
        let offset = if q.after.is_some() {
            0
        } else {
            q.offset.max(0)
        };
        // The page, then its tracks joined to it, in one statement: the
        // outer order is the page's, on the page's columns.
        let outer = order
            .replace("d.due", "page.board_due")
            .replace("m.", "page.");
        let kept_total = if plain {
            let status = q
                .status
                .map(|st| format!(" WHERE status = '{}'", st.code()))
                .unwrap_or_default();
            format!(", (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM matter_counts{status}) AS board_total")
        } else {
            String::new()
        };
        s.text = format!(
            "SELECT page.*, {TRACK_JOINED}{kept_total} FROM \
             (SELECT {}{} FROM matters m{join}{filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}) page \
             LEFT JOIN tracks t ON t.matter_id = page.id ORDER BY {outer}, t.id",
            matter_columns_m(),
            if q.sort == BoardSort::Due { ", d.due AS board_due" } else { "" }
        );
        let rows = self.pool.fetch(&s.text, s.args).await?;
        let total = match total {
            Some(n) => n,
            None => match rows.first() {
                Some(r) => r.i64("board_total")?,
                // A page past the end still says how many there are.
                None => self.matter_total(q.status).await?,
            },
        };
        let mut matters = with_tracks(&rows, Some(page_size as usize + 1))?;
        let more = matters.len() as i64 > page_size;
        matters.truncate(page_size as usize);
        let next = match (more, matters.last()) {
            (true, Some(last)) => {
                let key = match q.sort {
                    BoardSort::Newest | BoardSort::Oldest => None,
                    BoardSort::Deadline | BoardSort::DeadlineDesc => last.matter.deadline,
                    BoardSort::Due => rows
                        .iter()
                        .find(|r| r.i64("id").ok() == Some(last.matter.id))
                        .map(|r| r.opt_str("board_due"))
                        .transpose()?
                        .flatten()
                        .and_then(|d| d.parse::<NaiveDate>().ok()),
                };
                Some(BoardCursor {
                    sort: q.sort,
                    key,
                    id: last.matter.id,
                })
            }
            _ => None,
        };
        Ok(BoardPage {
            matters,
            total,
            next,
        })
    }

    pub async fn track(&self, id: TrackId) -> Result<TrackRecord> {
        let r = self
            .pool
            .fetch_opt(
                "SELECT data, version, next_due FROM tracks WHERE id = $1",
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("办理记录 {id} 不存在")))?;
        track_record(&r)
    }

    /// Tracks matching a filter, by next limit then id.
    pub async fn tracks(&self, f: &TrackFilter) -> Result<Vec<TrackRecord>> {
        let mut sql = String::from("SELECT data, version, next_due FROM tracks WHERE 1 = 1");
        let mut a = args![];
        if let Some(units) = &f.units {
            if units.is_empty() {
                return Ok(Vec::new());
            }
            sql.push_str(&format!(" AND unit_id IN ({})", id_list(units)));
        }
        if let Some(m) = f.matter {
            a.push(m.into());
            sql.push_str(&format!(" AND matter_id = ${}", a.len()));
        }
        if f.open_only {
            sql.push_str(" AND state NOT IN ('closed', 'withdrawn')");
        }
        if let Some(d) = f.due_by {
            a.push(d.to_string().into());
            sql.push_str(&format!(
                " AND next_due IS NOT NULL AND next_due <= ${}",
                a.len()
            ));
        }
        a.push(f.limit.max(1).into());
        a.push(f.offset.max(0).into());
        sql.push_str(&format!(
            " ORDER BY next_due IS NULL, next_due, id LIMIT ${} OFFSET ${}",
            a.len() - 1,
            a.len()
        ));
        let rows = self.pool.fetch(&sql, a).await?;
        rows.iter().map(track_record).collect()
    }

    /// Tracks with their matter and unit, soonest limit first (tracks with
    /// none last), how many match in all, and where the next page starts
    /// (`None` on the last).
    pub async fn track_rows(
        &self,
        q: &TrackQuery,
    ) -> Result<(Vec<TrackRow>, i64, Option<TrackCursor>)> {
        if q.units.as_ref().is_some_and(|u| u.is_empty()) {
            return Ok((Vec::new(), 0, None));
        }
        let mut s = Sql::default();
        let mut conds = vec!["1 = 1".to_string()];
        if let Some(u) = &q.units {
            conds.push(format!("t.unit_id IN ({})", id_list(u)));
        }
        if let Some(m) = q.matter {
            conds.push(format!("t.matter_id = {}", s.bind(m)));
        }
        if q.open_only {
            conds.push(OPEN.to_string());
        }
        if let Some(state) = &q.state {
            conds.push(format!("t.state = {}", s.bind(state.as_str())));
        }
        if let Some(r) = q.role {
            conds.push(format!("t.role = '{}'", r.code()));
        }
        if let Some(d) = q.due_by {
            conds.push(format!(
                "t.next_due IS NOT NULL AND t.next_due <= {}",
                s.bind(d.to_string())
            ));
        }
        if let Some(light) = q.light {
            let today = s.bind(q.today.to_string());
            conds.push(light_sql(light, &today));
        }
        if let Some(h) = q.handler {
            conds.push(format!("t.handler_id = {}", s.bind(h)));
        }
        if q.extension_pending {
            // The track's JSON is written compactly by serde_json, where a
            // waiting request is an object and none is `null`; the same
            // text test works on both backends.
            conds.push(format!(
                "{OPEN} AND t.data LIKE '%\"pending_extension\":{{%'"
            ));
        }
        let from = format!(
            "FROM tracks t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id WHERE {}",
            conds.join(" AND ")
        );
        let total = self
            .pool
            .fetch_opt(&format!("SELECT COUNT(*) AS n {from}"), s.args.clone())
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let mut from = from;
        if let Some(after) = q.after {
            let id = s.bind(after.id);
            from.push_str(&match after.next_due {
                Some(d) => {
                    let d = s.bind(d.to_string());
                    format!(
                        " AND (t.next_due IS NULL OR t.next_due > {d} OR (t.next_due = {d} AND t.id > {id}))"
                    )
                }
                None => format!(" AND t.next_due IS NULL AND t.id > {id}"),
            });
        }
        // One row more than the page tells whether a next page exists.
        let limit = s.bind(q.limit.max(1) + 1);
        let offset = s.bind(if q.after.is_some() {
            0
        } else {
            q.offset.max(0)
        });
        let mut rows = self
            .pool
            .fetch(
                &format!(
                    "SELECT t.data, t.version, t.next_due, m.title, m.matter_type, m.status, u.name AS unit_name {from} \
                     ORDER BY t.next_due IS NULL, t.next_due, t.id LIMIT {limit} OFFSET {offset}"
                ),
                s.args,
            )
            .await?;
        let more = rows.len() as i64 > q.limit.max(1);
        rows.truncate(q.limit.max(1) as usize);
        let rows = rows
            .iter()
            .map(|r| {
                Ok(TrackRow {
                    record: track_record(r)?,
                    matter_title: r.str("title")?,
                    matter_type: r.json("matter_type")?,
                    matter_status: status_from(&r.str("status")?)?,
                    unit_name: r.str("unit_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let next = rows
            .last()
            .filter(|_| more)
            .map(|r| TrackCursor::after(&r.record));
        Ok((rows, total, next))
    }

    /// Carries out a workflow action on a track, if `version` is still the
    /// track's version. `text` (a report, a reason, a plan) is kept with the
    /// track's reports. Limits the calendar cannot compute are left for the
    /// sweep to report.
    pub async fn act(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        version: i64,
        action: &Action,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<TrackRecord> {
        self.act_with(actor, track_id, version, action, now, cal, false, &[])
            .await
    }

    /// As [`Store::act`], but refuses (`Error::Invalid`, saying which year
    /// an admin must enter) when the track's limits after the action fall in
    /// a year the calendar lacks.
    pub async fn act_checked(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        version: i64,
        action: &Action,
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<TrackRecord> {
        self.act_with(actor, track_id, version, action, now, cal, true, &[])
            .await
    }

    /// As [`Store::act_checked`], with files attached to what the unit
    /// writes (a report, a close application, an extension plan), stored
    /// in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn act_checked_with_files(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        version: i64,
        action: &Action,
        files: &[crate::attachments::NewAttachment],
        now: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<TrackRecord> {
        self.act_with(actor, track_id, version, action, now, cal, true, files)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn act_with(
        &self,
        actor: Option<UserId>,
        track_id: TrackId,
        version: i64,
        action: &Action,
        now: NaiveDateTime,
        cal: &Calendar,
        strict: bool,
        files: &[crate::attachments::NewAttachment],
    ) -> Result<TrackRecord> {
        crate::attachments::check(files)?;
        if !files.is_empty() && report_text(action).is_none() {
            return Err(Error::Invalid(
                "只有反馈、申请办结和申请延期可以附带文件".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let r = tx
            .fetch_opt(
                "SELECT t.data, t.version, t.next_due, m.matter_type FROM tracks t JOIN matters m ON m.id = t.matter_id WHERE t.id = $1",
                args![track_id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("办理记录 {track_id} 不存在")))?;
        let current = track_record(&r)?;
        let ty: MatterType = r.json("matter_type")?;
        if current.version != version {
            return Err(Error::Conflict(format!(
                "该办理记录已被他人更新（当前版本 {}，提交的版本 {version}）；请刷新后重新操作",
                current.version
            )));
        }
        let next = workflow::apply(&current.track, action, now)?;
        let due = due_info(&next, &ty, cal, now.date());
        if let (true, Some(e)) = (strict, due.blocked_now(now.date())) {
            return Err(e.clone().into());
        }
        let new_version = version + 1;
        write_track(&mut tx, track_id, version, &next, &due, Some((&ty, cal))).await?;
        if let Some((kind, body)) = report_text(action) {
            let report = tx
                .insert(
                    "INSERT INTO reports (track_id, kind, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    args![track_id, kind, body.clone(), actor, micros(Utc::now())],
                )
                .await?;
            let ids = crate::attachments::insert(&mut tx, report, files).await?;
            crate::contents::record_report(&mut tx, actor, report, track_id, &body, files, &ids)
                .await?;
        }
        let kind = EventKind::of_action(action.kind());
        append(
            &mut tx,
            new_event(
                actor,
                kind,
                "track",
                track_id,
                json!(current.track),
                json!(next),
            ),
        )
        .await?;
        update_matter_status(&mut tx, actor, next.matter_id).await?;
        tx.commit().await?;
        Ok(TrackRecord {
            track: next,
            version: new_version,
            next_due: due.next_due,
        })
    }

    /// Withdraws a matter (撤销): every open track is withdrawn, the reason
    /// kept on each, and the matter marked withdrawn. Nothing is deleted.
    /// `version`, when given, must be the matter's version.
    pub async fn withdraw_matter(
        &self,
        actor: Option<UserId>,
        id: MatterId,
        version: Option<i64>,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<MatterRecord> {
        let reason = matter::withdrawal_reason(reason)?;
        let mut tx = self.pool.begin().await?;
        let m = tx
            .fetch_opt(
                "SELECT status, version FROM matters WHERE id = $1",
                args![id],
            )
            .await?
            .ok_or_else(|| Error::NotFound(format!("事项 {id} 不存在")))?;
        let current = m.i64("version")?;
        if version.is_some_and(|v| v != current) {
            return Err(Error::Conflict(format!(
                "该事项已被他人更新（当前版本 {current}）；请刷新后重新操作"
            )));
        }
        matter::check_withdrawal(status_from(&m.str("status")?)?)?;
        let rows = tx
            .fetch(
                "SELECT data, version, next_due FROM tracks WHERE matter_id = $1 ORDER BY id",
                args![id],
            )
            .await?;
        for r in &rows {
            let t = track_record(r)?;
            if !t.track.is_open() {
                continue;
            }
            // An action dated before the track's last change is refused;
            // a withdrawal is never earlier than what it ends.
            let at = now.max(t.track.updated_at);
            let next = workflow::apply(&t.track, &Action::Withdraw, at)?;
            write_track(
                &mut tx,
                next.id,
                t.version,
                &next,
                &DueInfo::default(),
                None,
            )
            .await?;
            let report = tx.insert(
                "INSERT INTO reports (track_id, kind, body, author_id, created_at) VALUES ($1, 'withdraw', $2, $3, $4) RETURNING id",
                args![next.id, reason, actor, micros(Utc::now())],
            )
            .await?;
            crate::contents::record_report(&mut tx, actor, report, next.id, reason, &[], &[])
                .await?;
            append(
                &mut tx,
                new_event(
                    actor,
                    EventKind::TrackWithdraw,
                    "track",
                    next.id,
                    json!(t.track),
                    json!(next),
                ),
            )
            .await?;
        }
        tx.exec(
            "UPDATE matters SET status = 'withdrawn', version = version + 1, updated_at = $1 WHERE id = $2",
            args![micros(Utc::now()), id],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::MatterWithdraw,
                "matter",
                id,
                json!({ "status": "open" }),
                json!({ "status": "withdrawn", "reason": reason }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.matter(id).await
    }

    /// The texts units and the office wrote on a track, oldest first.
    pub async fn reports_of(
        &self,
        track_id: TrackId,
    ) -> Result<Vec<(String, String, Option<UserId>, i64)>> {
        let rows = self
            .pool
            .fetch("SELECT kind, body, author_id, created_at FROM reports WHERE track_id = $1 ORDER BY id", args![track_id])
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.str("kind")?,
                    r.str("body")?,
                    r.opt_i64("author_id")?,
                    r.i64("created_at")?,
                ))
            })
            .collect()
    }

    /// Recomputes the stored limits of open tracks whose stored limit is
    /// before `day` (continuing matters move from node to node), and of
    /// those whose limits the calendar could not compute (an admin may have
    /// entered the year since).
    pub async fn refresh_due(&self, day: NaiveDate, cal: &Calendar, batch: i64) -> Result<u64> {
        // Only a continuing matter's limits move with the day (from node to
        // node); other tracks change when someone acts. Tracks blocked by a
        // missing calendar year are retried. Paged by id, so every one is
        // seen however many stay overdue.
        let mut changed = 0;
        let mut cursor = 0i64;
        loop {
            let rows = self
                .pool
                .fetch(
                    "SELECT t.id, t.data, t.version, t.next_due, t.yellow_from, t.due_error, m.matter_type FROM tracks t JOIN matters m ON m.id = t.matter_id \
                     WHERE t.id > $3 AND ((t.next_due IS NOT NULL AND t.next_due < $1 AND m.type_kind = 'continuing') OR t.due_error IS NOT NULL) \
                     AND t.state NOT IN ('closed', 'withdrawn') ORDER BY t.id LIMIT $2",
                    args![day.to_string(), batch.max(1), cursor],
                )
                .await?;
            let Some(last) = rows.last() else { break };
            cursor = last.i64("id")?;
            let mut tx = self.pool.begin().await?;
            for r in &rows {
                let t = track_record(r)?;
                let ty: MatterType = r.json("matter_type")?;
                let due = due_info(&t.track, &ty, cal, day);
                let stored_yellow = r.opt_str("yellow_from")?.and_then(|s| s.parse().ok());
                let stored_error = r.opt_str("due_error")?;
                if !due.same_as_stored(t.next_due, stored_yellow, stored_error.as_deref()) {
                    tx.exec(
                        "UPDATE tracks SET next_due = $1, yellow_from = $2, due_error = $3 WHERE id = $4",
                        args![date_text(due.next_due), date_text(due.yellow_from), due.error_text(), r.i64("id")?],
                    )
                    .await?;
                    // A year entered since may give limits the statistics
                    // could not compare with before.
                    stats::write_dues(&mut tx, r.i64("id")?, &TrackFacts::of(&t.track, &ty, cal))
                        .await?;
                    changed += 1;
                }
            }
            tx.commit().await?;
            if (rows.len() as i64) < batch.max(1) {
                break;
            }
        }
        Ok(changed)
    }
}

/// Checks a new matter and writes it with its tracks inside `tx`; with
/// `strict`, a limit in a year the calendar lacks refuses it.
pub(crate) async fn insert_matter(
    tx: &mut Tx,
    actor: Option<UserId>,
    m: NewMatter,
    now: NaiveDateTime,
    cal: &Calendar,
    strict: bool,
) -> Result<MatterRecord> {
    matter::check_assignment(&m.title, &m.lead, &m.co, &m.matter_type)?;
    let all: Vec<UnitId> = m.lead.iter().chain(&m.co).copied().collect();
    for &u in &all {
        if tx
            .fetch_opt("SELECT id FROM units WHERE id = $1", args![u])
            .await?
            .is_none()
        {
            return Err(Error::Invalid(format!(
                "单位 {u} 不存在；请先在单位名录中添加或选择已有单位"
            )));
        }
    }
    if let Source::Document { document_id, .. } = &m.source {
        if tx
            .fetch_opt(
                "SELECT id FROM documents WHERE id = $1",
                args![*document_id],
            )
            .await?
            .is_none()
        {
            return Err(Error::Invalid(format!(
                "公文 {document_id} 不存在；请先导入该公文"
            )));
        }
    }
    let id = tx
        .insert(
            "INSERT INTO matters (title, body, source, source_kind, matter_type, type_kind, deadline, targets, status, created_by, raised_by, created_at, updated_at, version, created_local) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11, $11, 1, $12) RETURNING id",
            args![
                m.title.clone(),
                m.detail.clone(),
                serde_json::to_string(&m.source).unwrap_or_default(),
                source_kind(&m.source),
                serde_json::to_string(&m.matter_type).unwrap_or_default(),
                m.matter_type.kind.code(),
                date_text(m.deadline),
                m.targets.to_string(),
                actor,
                m.raised_by,
                micros(Utc::now()),
                serde_json::to_string(&now).unwrap_or_default()
            ],
        )
        .await?;
    crate::office::number_matter(tx, id, now).await?;
    let matter = Matter {
        id,
        title: m.title,
        detail: m.detail,
        matter_type: m.matter_type,
        source: m.source,
        deadline: m.deadline,
        status: MatterStatus::Open,
        created_at: now,
    };
    append(
        tx,
        new_event(
            actor,
            EventKind::MatterCreate,
            "matter",
            id,
            json!(null),
            json!(matter),
        ),
    )
    .await?;
    let mut tracks = Vec::new();
    for (unit, role) in m
        .lead
        .iter()
        .map(|&u| (u, Role::Lead))
        .chain(m.co.iter().map(|&u| (u, Role::Co)))
    {
        let t = Track::new(0, id, unit, role, now).with_deadline(matter.deadline);
        tracks.push(insert_track(tx, actor, t, &matter.matter_type, cal, strict).await?);
    }
    Ok(MatterRecord {
        matter,
        version: 1,
        targets: m.targets,
        raised_by: m.raised_by,
        tracks,
    })
}

/// Writes a track after an action, with its new limits and the copies the
/// statistics read, if its version is still `version`. `ty_cal` recomputes
/// the 13710 limits the statistics compare with; without it they are kept
/// (for an action that cannot move them, such as a withdrawal).
///
/// Only an open track is ever written here (a closed or withdrawn one
/// refuses every action), so a track that is closed or withdrawn now has
/// just finished: its part of the statistics is added now, once. A row
/// from before migration 0003 not yet filled is counted whole.
pub(crate) async fn write_track(
    tx: &mut Tx,
    id: TrackId,
    version: i64,
    next: &Track,
    due: &DueInfo,
    ty_cal: Option<(&MatterType, &Calendar)>,
) -> Result<()> {
    let counted = tx
        .fetch_opt("SELECT assigned_on FROM tracks WHERE id = $1", args![id])
        .await?
        .map(|r| r.opt_str("assigned_on"))
        .transpose()?
        .flatten()
        .is_some();
    let facts = match ty_cal {
        Some((ty, cal)) => TrackFacts::of(next, ty, cal),
        None => TrackFacts::dates_of(next),
    };
    let mut columns: Vec<&str> = stats::DATE_COLUMNS.to_vec();
    let mut values = args![
        serde_json::to_string(next).unwrap_or_default(),
        next.state.code(),
        date_text(due.next_due),
        date_text(due.yellow_from),
        due.error_text(),
        version + 1,
        micros(Utc::now()),
        id,
        version
    ];
    values.extend(facts.dates());
    if ty_cal.is_some() {
        columns.extend(stats::DUE_COLUMNS);
        values.extend(facts.dues());
    }
    let n = tx
        .exec(
            &format!(
                "UPDATE tracks SET data = $1, state = $2, next_due = $3, yellow_from = $4, due_error = $5, version = $6, updated_at = $7, {} \
                 WHERE id = $8 AND version = $9",
                stats::assignments(&columns, 10)
            ),
            values,
        )
        .await?;
    if n == 0 {
        return Err(Error::Conflict(format!(
            "办理记录 {id} 已被他人更新；请刷新后重新操作"
        )));
    }
    stats::add_track(tx, next.unit_id, &facts, !counted, true).await
}

/// Writes a track whose role the office changed (改派), if its version is
/// still `version`; its limits do not move.
pub(crate) async fn write_track_role(tx: &mut Tx, next: &Track, version: i64) -> Result<()> {
    let n = tx
        .exec(
            "UPDATE tracks SET data = $1, role = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5",
            args![
                serde_json::to_string(next).unwrap_or_default(),
                next.role.code(),
                micros(Utc::now()),
                next.id,
                version
            ],
        )
        .await?;
    if n == 0 {
        return Err(Error::Conflict(format!(
            "办理记录 {} 已被他人更新；请刷新后重新操作",
            next.id
        )));
    }
    Ok(())
}

/// The text an action leaves on the record, with its kind.
fn report_text(action: &Action) -> Option<(&'static str, String)> {
    match action {
        Action::Report { text } => Some(("report", text.clone())),
        Action::ApplyToClose { text } => Some(("close_application", text.clone())),
        Action::Return { reason } => Some(("return", reason.clone())),
        Action::Close { grade, reason } => {
            Some(("close", format!("{}：{}", grade.label(), reason)))
        }
        Action::RequestExtension { until, plan } => {
            Some(("extension_request", format!("申请延期至 {until}：{plan}")))
        }
        Action::RefuseExtension { reason } => Some(("extension_refused", reason.clone())),
        _ => None,
    }
}

pub(crate) async fn insert_track(
    tx: &mut Tx,
    actor: Option<UserId>,
    t: Track,
    ty: &MatterType,
    cal: &Calendar,
    strict: bool,
) -> Result<TrackRecord> {
    let due = due_info(&t, ty, cal, t.assigned_at.date());
    if let (true, Some(e)) = (strict, due.blocked()) {
        return Err(e.clone().into());
    }
    let facts = TrackFacts::of(&t, ty, cal);
    let mut values = args![
        t.matter_id,
        t.unit_id,
        t.role.code(),
        t.state.code(),
        date_text(due.next_due),
        date_text(due.yellow_from),
        due.error_text(),
        micros(Utc::now())
    ];
    values.extend(facts.dates());
    values.extend(facts.dues());
    let id = tx
        .insert(
            &format!(
                "INSERT INTO tracks (matter_id, unit_id, role, state, next_due, yellow_from, due_error, data, version, updated_at, {}, {}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, '{{}}', 1, $8, {}) RETURNING id",
                stats::DATE_COLUMNS.join(", "),
                stats::DUE_COLUMNS.join(", "),
                stats::placeholders(stats::DATE_COLUMNS.len() + stats::DUE_COLUMNS.len(), 9)
            ),
            values,
        )
        .await?;
    let t = Track { id, ..t };
    tx.exec(
        "UPDATE tracks SET data = $1 WHERE id = $2",
        args![serde_json::to_string(&t).unwrap_or_default(), id],
    )
    .await?;
    stats::add_track(tx, t.unit_id, &facts, true, true).await?;
    append(
        tx,
        new_event(
            actor,
            EventKind::TrackAssign,
            "track",
            id,
            json!(null),
            json!(t),
        ),
    )
    .await?;
    Ok(TrackRecord {
        track: t,
        version: 1,
        next_due: due.next_due,
    })
}

/// Closes the matter when all its lead tracks are closed. A withdrawn
/// matter stays withdrawn.
async fn update_matter_status(tx: &mut Tx, actor: Option<UserId>, matter: MatterId) -> Result<()> {
    let rows = tx
        .fetch(
            "SELECT data, version, next_due FROM tracks WHERE matter_id = $1",
            args![matter],
        )
        .await?;
    let tracks: Vec<Track> = rows
        .iter()
        .map(|r| track_record(r).map(|t| t.track))
        .collect::<Result<_>>()?;
    let status = workflow::matter_status(&tracks);
    let old = tx
        .fetch_opt("SELECT status FROM matters WHERE id = $1", args![matter])
        .await?
        .map(|r| r.str("status"))
        .transpose()?
        .unwrap_or_default();
    if old != status.code() && old != MatterStatus::Withdrawn.code() {
        tx.exec(
            "UPDATE matters SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
            args![status.code(), micros(Utc::now()), matter],
        )
        .await?;
        append(
            tx,
            new_event(
                actor,
                EventKind::MatterStatus,
                "matter",
                matter,
                json!(old),
                json!(status.code()),
            ),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_kind_is_the_tag() {
        let s = Source::Meeting {
            name: "常务会议".into(),
            date: None,
        };
        assert_eq!(source_kind(&s), "meeting");
        let s = Source::Appeal {
            from: "某公司".into(),
            channel: "网上诉求".into(),
            reference: None,
        };
        assert_eq!(source_kind(&s), "appeal");
    }
}
