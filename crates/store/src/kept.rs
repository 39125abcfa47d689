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
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The units with their names by id (what every view prints).
type UnitsCopy = (Arc<Vec<Unit>>, Arc<HashMap<i64, String>>);

#[derive(Default)]
struct Copies {
    units: Option<(i64, UnitsCopy)>,
    calendar: Option<(i64, Arc<Calendar>)>,
}

/// The registry as one request reads it: the units, their names by id and
/// the calendar, all of one version.
#[derive(Clone)]
pub struct Registry {
    pub units: Arc<Vec<Unit>>,
    pub names: Arc<HashMap<i64, String>>,
    pub calendar: Arc<Calendar>,
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
        Ok(self.units_at(v).await?.0)
    }

    /// Unit names by id, from this server's copy when it is current.
    pub async fn unit_names(&self) -> Result<Arc<HashMap<i64, String>>> {
        let v = self.registry_version().await?;
        Ok(self.units_at(v).await?.1)
    }

    /// The calendar (see [`Store::read_calendar`]), from this server's
    /// copy when it is current.
    pub async fn calendar(&self) -> Result<Calendar> {
        let v = self.registry_version().await?;
        Ok(self.calendar_at(v).await?.as_ref().clone())
    }

    /// Units, names and calendar with one look at the version: what a
    /// request that prints tracks needs, for one small read.
    pub async fn registry(&self) -> Result<Registry> {
        let v = self.registry_version().await?;
        self.registry_at(v).await
    }

    /// [`Store::registry`] at a version read already, with something else
    /// (a request's session: [`crate::org::Session::registry_version`]).
    pub async fn registry_at(&self, v: i64) -> Result<Registry> {
        let (units, names) = self.units_at(v).await?;
        Ok(Registry {
            units,
            names,
            calendar: self.calendar_at(v).await?,
        })
    }

    async fn units_at(&self, v: i64) -> Result<UnitsCopy> {
        if let Some((at, copy)) = &self.kept.lock().units {
            if *at == v {
                return Ok(copy.clone());
            }
        }
        let units = self.read_units().await?;
        let names = units.iter().map(|u| (u.id, u.name.clone())).collect();
        let copy = (Arc::new(units), Arc::new(names));
        self.kept.lock().units = Some((v, copy.clone()));
        Ok(copy)
    }

    async fn calendar_at(&self, v: i64) -> Result<Arc<Calendar>> {
        if let Some((at, cal)) = &self.kept.lock().calendar {
            if *at == v {
                return Ok(cal.clone());
            }
        }
        let cal = Arc::new(self.read_calendar().await?);
        self.kept.lock().calendar = Some((v, cal.clone()));
        Ok(cal)
    }
}
