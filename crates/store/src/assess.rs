//! The records the year-end assessment counts besides the tracks —
//! inspections (督查记录: 现场督查, 电话督查, 明查暗访) and summons (约谈) —
//! and the assessment rules of each year. Records are only ever added;
//! every write appends its event in the same transaction. A period's
//! figures per unit (what bulletins and the assessment read) are in
//! [`figures`].

pub mod figures;

pub use figures::{FiguresQuery, PeriodFigures};

use crate::db::Row;
use crate::events::{append, new_event, EventKind};
use crate::{args, from_micros, micros, Error, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::assess::Rules;
use duban_domain::matter::{MatterId, UnitId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How an inspection was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    /// 现场督查.
    Onsite,
    /// 电话督查.
    Phone,
    /// 明查暗访.
    Unannounced,
}

impl InspectionKind {
    pub const ALL: [InspectionKind; 3] = [
        InspectionKind::Onsite,
        InspectionKind::Phone,
        InspectionKind::Unannounced,
    ];

    pub fn label(self) -> &'static str {
        match self {
            InspectionKind::Onsite => "现场督查",
            InspectionKind::Phone => "电话督查",
            InspectionKind::Unannounced => "明查暗访",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            InspectionKind::Onsite => "onsite",
            InspectionKind::Phone => "phone",
            InspectionKind::Unannounced => "unannounced",
        }
    }

    /// From its code or its Chinese name (现场, 电话, 明查暗访…).
    pub fn parse(s: &str) -> Option<InspectionKind> {
        let s = s.trim();
        InspectionKind::ALL.into_iter().find(|k| {
            k.code() == s || k.label() == s || (s.chars().count() >= 2 && k.label().starts_with(s))
        })
    }
}

/// An inspection to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInspection {
    pub unit_id: UnitId,
    pub matter_id: Option<MatterId>,
    pub kind: InspectionKind,
    pub date: NaiveDate,
    pub finding: String,
    /// Points it deducts in the assessment (0 when nothing was wrong).
    pub points: f64,
    /// A major problem: its deduction is not capped.
    pub major: bool,
}

/// A stored inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub matter_id: Option<MatterId>,
    pub kind: InspectionKind,
    pub kind_label: &'static str,
    pub date: NaiveDate,
    pub finding: String,
    pub points: f64,
    pub major: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// A summons to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSummons {
    pub unit_id: UnitId,
    pub date: NaiveDate,
    pub reason: String,
}

/// A stored summons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summons {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub date: NaiveDate,
    pub reason: String,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// Which records to list: dated `from`–`to` (inclusive), of `units`
/// (`None`: all).
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    pub units: Option<Vec<UnitId>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl RecordQuery {
    /// `WHERE …` over alias `r`, the dates bound as `$1` and `$2`.
    fn clause(&self) -> (String, Vec<crate::db::Val>) {
        let mut sql = String::from(" WHERE r.date >= $1 AND r.date <= $2");
        if let Some(u) = &self.units {
            sql.push_str(&format!(" AND r.unit_id IN ({})", figures::id_list(u)));
        }
        let from = self.from.map_or("0000-01-01".into(), |d| d.to_string());
        let to = self.to.map_or("9999-12-31".into(), |d| d.to_string());
        (sql, args![from, to])
    }
}

fn date(r: &Row, name: &str) -> Result<NaiveDate> {
    r.str(name)?
        .parse()
        .map_err(|e| Error::Corrupt(format!("{name}: {e}")))
}

fn inspection(r: &Row) -> Result<Inspection> {
    let code = r.str("kind")?;
    let kind = InspectionKind::parse(&code)
        .ok_or_else(|| Error::Corrupt(format!("inspection kind {code}")))?;
    Ok(Inspection {
        id: r.i64("id")?,
        unit_id: r.i64("unit_id")?,
        unit_name: r.str("unit_name")?,
        matter_id: r.opt_i64("matter_id")?,
        kind,
        kind_label: kind.label(),
        date: date(r, "date")?,
        finding: r.str("finding")?,
        points: r.f64("points")?,
        major: r.i64("major")? != 0,
        created_by: r.opt_i64("created_by")?,
        created_at: from_micros(r.i64("created_at")?),
    })
}

fn summons(r: &Row) -> Result<Summons> {
    Ok(Summons {
        id: r.i64("id")?,
        unit_id: r.i64("unit_id")?,
        unit_name: r.str("unit_name")?,
        date: date(r, "date")?,
        reason: r.str("reason")?,
        created_by: r.opt_i64("created_by")?,
        created_at: from_micros(r.i64("created_at")?),
    })
}

const INSPECTION_COLUMNS: &str = "r.id, r.unit_id, u.name AS unit_name, r.matter_id, r.kind, r.date, r.finding, r.points, r.major, r.created_by, r.created_at";
const SUMMONS_COLUMNS: &str =
    "r.id, r.unit_id, u.name AS unit_name, r.date, r.reason, r.created_by, r.created_at";

impl Store {
    /// Checks that unit `id` exists, with a message naming it.
    async fn known_unit(&self, id: UnitId) -> Result<()> {
        match self.unit(id).await {
            Ok(_) => Ok(()),
            Err(Error::NotFound(_)) => Err(Error::Invalid(format!("单位 {id} 不存在"))),
            Err(e) => Err(e),
        }
    }

    /// Records an inspection by `actor`.
    pub async fn create_inspection(
        &self,
        actor: Option<UserId>,
        n: NewInspection,
    ) -> Result<Inspection> {
        let finding = n.finding.trim().to_string();
        if finding.is_empty() {
            return Err(Error::Invalid(
                "请填写督查发现的情况（没有问题也请写明）".into(),
            ));
        }
        if !n.points.is_finite() || n.points < 0.0 || n.points > 100.0 {
            return Err(Error::Invalid(format!(
                "扣分应在 0 到 100 之间，收到 {}",
                n.points
            )));
        }
        self.known_unit(n.unit_id).await?;
        if let Some(m) = n.matter_id {
            if let Err(Error::NotFound(_)) = self.matter(m).await {
                return Err(Error::Invalid(format!("事项 {m} 不存在")));
            }
        }
        let mut tx = self.pool.begin().await?;
        let now = Utc::now();
        let id = tx
            .insert(
                "INSERT INTO inspections (unit_id, matter_id, kind, date, finding, points, major, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                args![
                    n.unit_id,
                    n.matter_id,
                    n.kind.code(),
                    n.date.to_string(),
                    finding.clone(),
                    n.points,
                    i64::from(n.major),
                    actor,
                    micros(now)
                ],
            )
            .await?;
        let row = tx
            .fetch_opt(
                &format!("SELECT {INSPECTION_COLUMNS} FROM inspections r JOIN units u ON u.id = r.unit_id WHERE r.id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::Corrupt("inspection not read back".into()))?;
        let created = inspection(&row)?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::InspectionCreate,
                "inspection",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Inspections matching `q`, newest first.
    pub async fn inspections(&self, q: &RecordQuery) -> Result<Vec<Inspection>> {
        let (clause, values) = q.clause();
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {INSPECTION_COLUMNS} FROM inspections r JOIN units u ON u.id = r.unit_id{clause} ORDER BY r.date DESC, r.id DESC"),
                values,
            )
            .await?;
        rows.iter().map(inspection).collect()
    }

    /// Records a summons by `actor`.
    pub async fn create_summons(&self, actor: Option<UserId>, n: NewSummons) -> Result<Summons> {
        let reason = n.reason.trim().to_string();
        if reason.is_empty() {
            return Err(Error::Invalid("请填写约谈事由".into()));
        }
        self.known_unit(n.unit_id).await?;
        let mut tx = self.pool.begin().await?;
        let now = Utc::now();
        let id = tx
            .insert(
                "INSERT INTO summons (unit_id, date, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                args![n.unit_id, n.date.to_string(), reason, actor, micros(now)],
            )
            .await?;
        let row = tx
            .fetch_opt(
                &format!("SELECT {SUMMONS_COLUMNS} FROM summons r JOIN units u ON u.id = r.unit_id WHERE r.id = $1"),
                args![id],
            )
            .await?
            .ok_or_else(|| Error::Corrupt("summons not read back".into()))?;
        let created = summons(&row)?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::SummonsCreate,
                "summons",
                id,
                json!(null),
                json!(created),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Summons matching `q`, newest first.
    pub async fn summonses(&self, q: &RecordQuery) -> Result<Vec<Summons>> {
        let (clause, values) = q.clause();
        let rows = self
            .pool
            .fetch(
                &format!("SELECT {SUMMONS_COLUMNS} FROM summons r JOIN units u ON u.id = r.unit_id{clause} ORDER BY r.date DESC, r.id DESC"),
                values,
            )
            .await?;
        rows.iter().map(summons).collect()
    }

    /// The rules of `year` and whether they were set (the defaults
    /// otherwise).
    pub async fn assessment_rules(&self, year: i32) -> Result<(Rules, bool)> {
        let row = self
            .pool
            .fetch_opt(
                "SELECT rules FROM assessment_rules WHERE year = $1",
                args![i64::from(year)],
            )
            .await?;
        match row {
            Some(r) => Ok((r.json("rules")?, true)),
            None => Ok((Rules::default(), false)),
        }
    }

    /// Sets the rules of `year`, refusing rules that do not hold together
    /// (the Chinese reasons, joined).
    pub async fn set_assessment_rules(
        &self,
        actor: Option<UserId>,
        year: i32,
        rules: &Rules,
    ) -> Result<Rules> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::Invalid(format!("年份 {year} 不在 2000–2100 之间")));
        }
        rules.validate().map_err(Error::Invalid)?;
        let (before, stored) = self.assessment_rules(year).await?;
        let text = serde_json::to_string(rules).map_err(|e| Error::Corrupt(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "INSERT INTO assessment_rules (year, rules, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year) DO UPDATE SET rules = excluded.rules, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            args![i64::from(year), text, actor, micros(Utc::now())],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                EventKind::AssessmentRulesSet,
                "assessment_rules",
                i64::from(year),
                if stored { json!(before) } else { json!(null) },
                json!(rules),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rules.clone())
    }
}
