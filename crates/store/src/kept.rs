//! The registry kept in memory: the units and the working-day calendar are
//! read on almost every request (names on the board, limits of every
//! track) and change a few times a year. Each server keeps a copy with the
//! registry's version (`registry_version`, bumped by trigger on any change
//! of `units` or `calendar_years`, migration 0017) and reads that one row
//! per use instead of the tables: a change made through any server shows
//! on the next request of every other.
//!
//! The version is read before the data, so a change landing between the
//! two leaves a newer copy under an older version, which the next read
//! replaces; a copy is never kept as current when it is not.

use crate::{args, Result, Store};
use duban_domain::calendar::Calendar;
use duban_domain::org::Unit;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Copies {
    units: Option<(i64, Arc<Vec<Unit>>)>,
    calendar: Option<(i64, Arc<Calendar>)>,
}

/// The copies of one server (shared by the clones of its [`Store`]).
#[derive(Clone, Default)]
pub(crate) struct Kept(Arc<Mutex<Copies>>);

impl Kept {
    fn lock(&self) -> std::sync::MutexGuard<'_, Copies> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store {
    /// The registry's version: it moves whenever a unit or a calendar
    /// year is written, by anyone.
    pub async fn registry_version(&self) -> Result<i64> {
        let r = self
            .pool
            .fetch_opt("SELECT v FROM registry_version WHERE id = 1", args![])
            .await?;
        Ok(r.map(|r| r.i64("v")).transpose()?.unwrap_or(0))
    }

    /// Every unit, by id, from this server's copy when it is current.
    pub async fn units(&self) -> Result<Vec<Unit>> {
        Ok(self.units_shared().await?.as_ref().clone())
    }

    /// [`Store::units`] without copying the list.
    pub async fn units_shared(&self) -> Result<Arc<Vec<Unit>>> {
        let v = self.registry_version().await?;
        if let Some((at, units)) = &self.kept.lock().units {
            if *at == v {
                return Ok(units.clone());
            }
        }
        let units = Arc::new(self.read_units().await?);
        self.kept.lock().units = Some((v, units.clone()));
        Ok(units)
    }

    /// The calendar (see [`Store::read_calendar`]), from this server's
    /// copy when it is current.
    pub async fn calendar(&self) -> Result<Calendar> {
        let v = self.registry_version().await?;
        if let Some((at, cal)) = &self.kept.lock().calendar {
            if *at == v {
                return Ok(cal.as_ref().clone());
            }
        }
        let cal = self.read_calendar().await?;
        self.kept.lock().calendar = Some((v, Arc::new(cal.clone())));
        Ok(cal)
    }
}
