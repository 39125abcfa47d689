//! Settings an admin edits: the working-day calendar. (The matter types and
//! their limits, the other setting, are in [`crate::types`].)

use crate::events::{append, new_event};
use crate::{args, micros, Error, Result, Store};
use chrono::Utc;
use duban_domain::calendar::{Calendar, Year};
use serde_json::json;

impl Store {
    /// The calendar: the shipped official years, with the years an admin
    /// stored replacing them.
    pub async fn calendar(&self) -> Result<Calendar> {
        let mut cal = Calendar::official();
        let rows = self
            .pool
            .fetch(
                "SELECT year, data FROM calendar_years ORDER BY year",
                args![],
            )
            .await?;
        for r in rows {
            let year: Year = r.json("data")?;
            cal.set_year(r.i64("year")? as i32, year);
        }
        Ok(cal)
    }

    /// Stores one year of the calendar (checked first).
    pub async fn set_calendar_year(&self, actor: Option<i64>, year: i32, data: Year) -> Result<()> {
        data.validate(year)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        let before = self.calendar().await?.year(year).cloned();
        let mut tx = self.pool.begin().await?;
        tx.exec(
            "INSERT INTO calendar_years (year, data, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            args![i64::from(year), serde_json::to_string(&data).unwrap_or_default(), micros(Utc::now())],
        )
        .await?;
        append(
            &mut tx,
            new_event(
                actor,
                "calendar.set_year",
                "calendar",
                year.into(),
                json!(before),
                json!(data),
            ),
        )
        .await?;
        tx.commit().await
    }
}
