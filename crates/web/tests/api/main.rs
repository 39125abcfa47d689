//! The API through real HTTP on fresh databases: SQLite always, PostgreSQL
//! when `DUBAN_TEST_POSTGRES` is set (and required when
//! `DUBAN_REQUIRE_POSTGRES=1`). One test binary, a module per feature.

mod accounts;
mod admin;
mod appeals;
mod authz;
mod calendar;
mod documents;
mod excel;
mod faults;
mod handler;
mod helpers;
mod indicators;
mod leaders;
mod links;
mod matters;
mod messages;
mod next_limit;
mod office;
mod openapi;
mod pages;
mod paging;
mod reports;
mod search;
mod security;
mod session;
mod stats;
mod tokens;
mod tracks;
mod trust;
mod types;
mod units;
mod words;
