//! Authorisation: every operation of the OpenAPI document called as every
//! kind of user, checked against the table below. An operation in the
//! document without a row fails the test, and so does a row without an
//! operation. The document is generated from the routes as registered
//! with their handlers (`duban_web::documented`), so a route served is a
//! route documented; documented paths are also asked the methods they do
//! not document, which must answer 405.

use crate::helpers::{Session, TestApp, PASSWORD};
use crate::matters::{now, session, World};
use duban_store::appeals::{Acceptance, NewAppeal};
use duban_store::testing::fresh_databases;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};

/// What a caller should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The endpoint's success code.
    Y,
    /// 403: may see the thing, may not do this.
    F,
    /// 404: may not know the thing exists.
    H,
    /// 401: not logged in.
    N,
}
use Want::*;

/// The callers, in the order of the table's columns.
const CALLERS: [&str; 11] = [
    "anonymous",
    "admin",
    "office",
    "head_a",    // 第一责任人 of unit A, which carries the matter
    "liaison_a", // 联络员 of unit A
    "handler_a", // 承办人 of unit A
    "liaison_b", // a unit user of another unit
    "leader_a",  // the leader overseeing unit A
    "leader_b",  // a leader overseeing another unit
    "public1",   // the member of the public who raised the appeal
    "public2",   // another member of the public
];

struct Row {
    method: &'static str,
    path: &'static str,
    /// Which body, where one endpoint does different things (unit and
    /// office actions).
    variant: &'static str,
    ok: u16,
    want: [Want; 11],
}

const fn row(method: &'static str, path: &'static str, ok: u16, want: [Want; 11]) -> Row {
    Row {
        method,
        path,
        variant: "",
        ok,
        want,
    }
}

#[rustfmt::skip]
const TABLE: &[Row] = &[
    //                                                     anon admin office headA liaA handA othU  ldrA ldrB  raiser othP
    row("GET",    "/healthz",                        200, [Y,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/metrics",                        200, [Y,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/",                               200, [Y,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/openapi.json",               200, [Y,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/session",                 200, [Y,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("DELETE", "/api/v1/session",                 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/v1/me",                      200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/v1/messages",                200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/messages/read",           200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/v1/units",                   200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/units",                   200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/units/resolve",           200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("PATCH",  "/api/v1/units/{id}",              200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/units/{id}/merge",        200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/sources",                 200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/sources",                 200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/sources/{id}",            200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/documents/{id}",          200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/documents/{id}/confirm-all", 200, [N, Y,   Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/proposals/{id}/confirm",  200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/proposals/{id}/reject",   200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/ledger.xlsx",             200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("POST",   "/api/v1/imports/tasks",           200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/imports/projects",        200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/matters",                 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/matters",                 201, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/matters/{id}",            200, [N,   Y,    Y,     Y,    Y,   Y,    H,    Y,   H,    Y,     H]),
    row("POST",   "/api/v1/matters/{id}/withdraw",   200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/urge",       200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("GET",    "/api/v1/matters/{id}/urgings",    200, [N,   Y,    Y,     Y,    Y,   Y,    H,    Y,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/reassign",   200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/deadline",   200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/edit",       200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/instructions", 201, [N, F,    F,     F,    F,   F,    H,    Y,   H,    F,     H]),
    row("PUT",    "/api/v1/users/{id}/principal",    200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/tracks",                  200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    Row { variant: "unit action (sign_for)", ..
    row("POST",   "/api/v1/tracks/{id}/actions",     200, [N,   F,    F,     Y,    Y,   Y,    H,    F,   H,    F,     H]) },
    Row { variant: "office action (return)", ..
    row("POST",   "/api/v1/tracks/{id}/actions",     200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]) },
    row("POST",   "/api/v1/tracks/{id}/handler",     200, [N,   F,    F,     Y,    Y,   F,    H,    F,   H,    F,     H]),
    row("GET",    "/api/v1/attachments/{id}",        200, [N,   Y,    Y,     Y,    Y,   Y,    H,    Y,   H,    H,     H]),
    row("GET",    "/api/v1/stats",                   200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/indicators",              200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/indicators/{matter_id}/{index}", 200, [N, Y, Y,     Y,    Y,   Y,    H,    Y,   H,    F,     F]),
    row("POST",   "/api/v1/indicators/{matter_id}/{index}/values", 201, [N, Y, Y, Y,  Y,   Y,    H,    F,   H,    F,     F]),
    row("GET",    "/api/v1/reports/bulletin",        200, [N,   Y,    Y,     F,    F,   F,    F,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/reports/bulletin.docx",   200, [N,   Y,    Y,     F,    F,   F,    F,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/reports/redblack",        200, [N,   Y,    Y,     F,    F,   F,    F,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/reports/assessment",      200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("GET",    "/api/v1/assessment/rules/{year}", 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("PUT",    "/api/v1/assessment/rules/{year}", 200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/inspections",             200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("POST",   "/api/v1/inspections",             201, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/summons",                 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    F,     F]),
    row("POST",   "/api/v1/summons",                 201, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/search",                  200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/v1/matters/similar",         200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/matters/{id}/similar",    200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/links",      200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("POST",   "/api/v1/matters/{id}/unlink",     200, [N,   Y,    Y,     F,    F,   F,    H,    F,   H,    F,     H]),
    row("GET",    "/api/v1/proposals/{id}/similar",  200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/appeals",                 200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    Y,     Y]),
    row("POST",   "/api/v1/appeals",                 201, [N,   F,    F,     F,    F,   F,    F,    F,   F,    Y,     Y]),
    row("GET",    "/api/v1/appeals/{id}",            200, [N,   Y,    Y,     H,    H,   H,    H,    H,   H,    Y,     H]),
    row("POST",   "/api/v1/appeals/{id}/accept",     200, [N,   Y,    Y,     H,    H,   H,    H,    H,   H,    F,     H]),
    row("POST",   "/api/v1/appeals/{id}/reject",     200, [N,   Y,    Y,     H,    H,   H,    H,    H,   H,    F,     H]),
    row("GET",    "/api/v1/users",                   200, [N,   Y,    Y,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/users",                   201, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    // Any signed-in user reaches the check of their own password; the
    // body's current password is wrong, so nobody's password changes.
    row("POST",   "/api/v1/me/password",             400, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    // The security admin's (三员分立), who is none of these callers.
    row("POST",   "/api/v1/users/{id}/password",     200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("PUT",    "/api/v1/users/{id}/active",       200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/users/{id}/tokens",       201, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/tokens",                  200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    // Each call revokes a token of its own, issued for it.
    row("DELETE", "/api/v1/tokens/{id}",             200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    // Only the audit admin, who is none of these callers (accounts::).
    row("GET",    "/api/v1/audit",                   200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/calendar",                200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("GET",    "/api/v1/calendar/{year}",         200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("PUT",    "/api/v1/calendar/{year}",         200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("DELETE", "/api/v1/calendar/{year}",         200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/calendar/notice",         200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/division-of-work",        200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("GET",    "/api/v1/matter-types",            200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/matter-types",            201, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("PUT",    "/api/v1/matter-types/{name}",     200, [N,   Y,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    // The security admin's (see THREE_ADMINS), none of these callers'.
    row("GET",    "/api/v1/security/settings",       200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("PUT",    "/api/v1/security/settings",       200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("POST",   "/api/v1/users/{id}/unlock",       200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    row("DELETE", "/api/v1/users/{id}/totp",         200, [N,   F,    F,     F,    F,   F,    F,    F,   F,    F,     F]),
    // Everyone's own second factor; the confirmation's code is wrong.
    row("GET",    "/api/v1/me/totp",                 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/me/totp",                 200, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
    row("POST",   "/api/v1/me/totp/confirm",         400, [N,   Y,    Y,     Y,    Y,   Y,    Y,    Y,   Y,    Y,     Y]),
];

/// The security admin and the audit admin (三员分立) on every row of
/// [`TABLE`], by method, path and variant: [security, auditor]. Each
/// holds none of the business and reads no business data beyond what every
/// signed-in user sees (units, the calendar, matter types, an empty list of
/// matters); the security admin alone owns the account rules, unlocks and
/// resets; the audit admin alone reads the trail.
#[rustfmt::skip]
const THREE_ADMINS: &[(&str, &str, &str, [Want; 2])] = &[
    //                                                        security auditor
    ("GET",    "/healthz", "",                                [Y, Y]),
    ("GET",    "/metrics", "",                                [Y, Y]),
    ("GET",    "/", "",                                       [Y, Y]),
    ("GET",    "/api/openapi.json", "",                       [Y, Y]),
    ("POST",   "/api/v1/session", "",                         [Y, Y]),
    ("DELETE", "/api/v1/session", "",                         [Y, Y]),
    ("GET",    "/api/v1/me", "",                              [Y, Y]),
    ("GET",    "/api/v1/messages", "",                        [Y, Y]),
    ("POST",   "/api/v1/messages/read", "",                   [Y, Y]),
    ("GET",    "/api/v1/units", "",                           [Y, Y]),
    ("POST",   "/api/v1/units", "",                           [F, F]),
    ("GET",    "/api/v1/units/resolve", "",                   [Y, Y]),
    ("PATCH",  "/api/v1/units/{id}", "",                      [F, F]),
    ("POST",   "/api/v1/units/{id}/merge", "",                [F, F]),
    ("GET",    "/api/v1/sources", "",                         [F, F]),
    ("POST",   "/api/v1/sources", "",                         [F, F]),
    ("GET",    "/api/v1/sources/{id}", "",                    [F, F]),
    ("GET",    "/api/v1/documents/{id}", "",                  [F, F]),
    ("POST",   "/api/v1/documents/{id}/confirm-all", "",      [F, F]),
    ("POST",   "/api/v1/proposals/{id}/confirm", "",          [F, F]),
    ("POST",   "/api/v1/proposals/{id}/reject", "",           [F, F]),
    ("GET",    "/api/v1/ledger.xlsx", "",                     [F, F]),
    ("POST",   "/api/v1/imports/tasks", "",                   [F, F]),
    ("POST",   "/api/v1/imports/projects", "",                [F, F]),
    ("GET",    "/api/v1/matters", "",                         [Y, Y]),
    ("POST",   "/api/v1/matters", "",                         [F, F]),
    ("GET",    "/api/v1/matters/{id}", "",                    [H, H]),
    ("POST",   "/api/v1/matters/{id}/withdraw", "",           [H, H]),
    ("POST",   "/api/v1/matters/{id}/urge", "",               [H, H]),
    ("GET",    "/api/v1/matters/similar", "",                 [F, F]),
    ("GET",    "/api/v1/matters/{id}/similar", "",            [H, H]),
    ("POST",   "/api/v1/matters/{id}/links", "",              [H, H]),
    ("POST",   "/api/v1/matters/{id}/unlink", "",             [H, H]),
    ("GET",    "/api/v1/proposals/{id}/similar", "",          [F, F]),
    ("GET",    "/api/v1/matters/{id}/urgings", "",            [H, H]),
    ("POST",   "/api/v1/matters/{id}/reassign", "",           [H, H]),
    ("POST",   "/api/v1/matters/{id}/deadline", "",           [H, H]),
    ("POST",   "/api/v1/matters/{id}/edit", "",               [H, H]),
    ("POST",   "/api/v1/matters/{id}/instructions", "",       [H, H]),
    ("PUT",    "/api/v1/users/{id}/principal", "",            [F, F]),
    ("GET",    "/api/v1/tracks", "",                          [F, F]),
    ("POST",   "/api/v1/tracks/{id}/actions", "unit action (sign_for)", [H, H]),
    ("POST",   "/api/v1/tracks/{id}/actions", "office action (return)", [H, H]),
    ("POST",   "/api/v1/tracks/{id}/handler", "",             [H, H]),
    ("GET",    "/api/v1/attachments/{id}", "",                [H, H]),
    ("GET",    "/api/v1/stats", "",                           [F, F]),
    ("GET",    "/api/v1/indicators", "",                      [F, F]),
    ("GET",    "/api/v1/indicators/{matter_id}/{index}", "",  [F, F]),
    ("POST",   "/api/v1/indicators/{matter_id}/{index}/values", "", [F, F]),
    ("GET",    "/api/v1/reports/bulletin", "",                [F, F]),
    ("GET",    "/api/v1/reports/bulletin.docx", "",           [F, F]),
    ("GET",    "/api/v1/reports/redblack", "",                [F, F]),
    ("GET",    "/api/v1/reports/assessment", "",              [F, F]),
    ("GET",    "/api/v1/assessment/rules/{year}", "",         [F, F]),
    ("PUT",    "/api/v1/assessment/rules/{year}", "",         [F, F]),
    ("GET",    "/api/v1/inspections", "",                     [F, F]),
    ("POST",   "/api/v1/inspections", "",                     [F, F]),
    ("GET",    "/api/v1/summons", "",                         [F, F]),
    ("POST",   "/api/v1/summons", "",                         [F, F]),
    ("GET",    "/api/v1/search", "",                          [Y, Y]),
    ("GET",    "/api/v1/appeals", "",                         [F, F]),
    ("POST",   "/api/v1/appeals", "",                         [F, F]),
    ("GET",    "/api/v1/appeals/{id}", "",                    [H, H]),
    ("POST",   "/api/v1/appeals/{id}/accept", "",             [H, H]),
    ("POST",   "/api/v1/appeals/{id}/reject", "",             [H, H]),
    ("GET",    "/api/v1/users", "",                           [F, F]),
    ("POST",   "/api/v1/users", "",                           [F, F]),
    ("POST",   "/api/v1/me/password", "",                     [Y, Y]),
    ("POST",   "/api/v1/users/{id}/password", "",             [Y, F]),
    ("PUT",    "/api/v1/users/{id}/active", "",               [F, F]),
    ("POST",   "/api/v1/users/{id}/tokens", "",               [F, F]),
    ("GET",    "/api/v1/tokens", "",                          [F, F]),
    ("DELETE", "/api/v1/tokens/{id}", "",                     [F, F]),
    ("GET",    "/api/v1/audit", "",                           [F, Y]),
    ("GET",    "/api/v1/calendar", "",                        [Y, Y]),
    ("GET",    "/api/v1/calendar/{year}", "",                 [Y, Y]),
    ("PUT",    "/api/v1/calendar/{year}", "",                 [F, F]),
    ("DELETE", "/api/v1/calendar/{year}", "",                 [F, F]),
    ("POST",   "/api/v1/calendar/notice", "",                 [F, F]),
    ("POST",   "/api/v1/division-of-work", "",                [F, F]),
    ("GET",    "/api/v1/matter-types", "",                    [Y, Y]),
    ("POST",   "/api/v1/matter-types", "",                    [F, F]),
    ("PUT",    "/api/v1/matter-types/{name}", "",             [F, F]),
    ("GET",    "/api/v1/security/settings", "",               [Y, F]),
    ("PUT",    "/api/v1/security/settings", "",               [Y, F]),
    ("POST",   "/api/v1/users/{id}/unlock", "",               [Y, F]),
    ("DELETE", "/api/v1/users/{id}/totp", "",                 [Y, F]),
    ("GET",    "/api/v1/me/totp", "",                         [Y, Y]),
    ("POST",   "/api/v1/me/totp", "",                         [Y, Y]),
    ("POST",   "/api/v1/me/totp/confirm", "",                 [Y, Y]),
];

static UNIQUE: AtomicU32 = AtomicU32::new(0);

/// Things the calls act on: an appeal of public1, and the matter made of
/// it with unit A leading; fresh ones for calls that change them.
struct Fixture<'a> {
    app: &'a TestApp,
    w: &'a World,
}

impl Fixture<'_> {
    async fn appeal(&self) -> i64 {
        self.app
            .store
            .create_appeal(
                self.w.ids["public1"],
                NewAppeal {
                    title: "路灯不亮".into(),
                    content: "小区门口路灯一个月不亮".into(),
                    location: "幸福路12号".into(),
                    contact: "13900000000".into(),
                },
            )
            .await
            .unwrap()
            .id
    }

    /// A fresh liaison of unit B. The test password is hashed once: a
    /// fresh hash per call takes long enough for idle connections to be
    /// dropped.
    async fn liaison_b(&self, login: &str) -> i64 {
        crate::matters::user(
            &self.app.store,
            login,
            duban_domain::org::Role::Liaison,
            Some(self.w.b),
        )
        .await
    }

    /// A fresh upload of a one-task document whose lead unit is A: the
    /// source, the document, its proposal and the proposal's version.
    async fn document(&self, n: u32) -> (i64, i64, i64, i64) {
        let text = document_text(n);
        let done = duban_service::ingest::ingest(
            &self.app.store,
            Some(self.w.ids["office"]),
            "任务分解.txt",
            text.as_bytes(),
            true,
        )
        .await
        .unwrap();
        let s = &self.app.store;
        let doc = s.documents_of(done.source_id).await.unwrap()[0].clone();
        let p = s.proposals_of(doc.id).await.unwrap()[0].clone();
        (done.source_id, doc.id, p.id, p.version)
    }

    /// A matter from a fresh appeal: its id and unit A's track.
    async fn matter(&self) -> (i64, i64) {
        let id = self.appeal().await;
        let cal = self.app.store.calendar().await.unwrap();
        let (_, m) = self
            .app
            .store
            .accept_appeal(
                Some(self.w.ids["office"]),
                id,
                None,
                Acceptance {
                    title: None,
                    matter_type: duban_domain::matter::MatterType::ordinary(),
                    deadline: None,
                    lead: vec![self.w.a],
                    co: vec![],
                },
                now(),
                &cal,
            )
            .await
            .unwrap();
        (m.matter.id, m.tracks[0].track.id)
    }

    /// A matter whose unit A applied to close: the track and its version.
    /// A file unit A attached to a report on a matter of unit A.
    async fn attachment(&self) -> i64 {
        let (_, t) = self.matter().await;
        let cal = self.app.store.calendar().await.unwrap();
        let s = &self.app.store;
        let by = Some(self.w.ids["liaison_a"]);
        let report = duban_domain::workflow::Action::Report {
            text: "已完成现场整改".into(),
        };
        let file = duban_store::attachments::NewAttachment {
            name: "整改照片.jpg".into(),
            mime: "image/jpeg".into(),
            bytes: vec![0xff, 0xd8, 0xff],
        };
        let signed = s
            .act(
                by,
                t,
                1,
                &duban_domain::workflow::Action::SignFor,
                now(),
                &cal,
            )
            .await
            .unwrap();
        s.act_checked_with_files(by, t, signed.version, &report, &[file], now(), &cal)
            .await
            .unwrap();
        s.report_entries(t).await.unwrap()[0].files[0].id
    }

    async fn close_requested(&self) -> (i64, i64) {
        let (_, t) = self.matter().await;
        let cal = self.app.store.calendar().await.unwrap();
        let s = &self.app.store;
        let by = Some(self.w.ids["liaison_a"]);
        let v = s
            .act(
                by,
                t,
                1,
                &duban_domain::workflow::Action::SignFor,
                now(),
                &cal,
            )
            .await
            .unwrap()
            .version;
        let v = s
            .act(
                by,
                t,
                v,
                &duban_domain::workflow::Action::ApplyToClose {
                    text: "已修复".into(),
                },
                now(),
                &cal,
            )
            .await
            .unwrap()
            .version;
        (t, v)
    }
}

/// A document with one task for unit A, numbered `n` so every upload
/// differs.
fn document_text(n: u32) -> String {
    format!(
        "运城市盐湖区人民政府办公室 关于印发重点工作任务分解的通知\n\
         运盐政办发〔2024〕{n}号\n\
         各乡镇人民政府、街道办事处，区直各有关单位：\n\
         现将重点工作任务分解印发给你们，请抓好落实。\n\
         运城市盐湖区人民政府办公室\n\
         2024年3月22日\n\
         一、主要经济指标：\n\
         1.地区生产总值增长8.5%。\n\
         责任单位：区发展和改革局\n"
    )
}

/// Sends a file as the body.
async fn send_file(
    base: &str,
    who: Option<&Session>,
    path: &str,
    text: String,
) -> (StatusCode, Value) {
    let client = match who {
        Some(s) => s.client.clone(),
        None => reqwest::Client::new(),
    };
    let mut req = client
        .post(format!("{base}{path}"))
        .header("content-type", "text/plain; charset=utf-8")
        .body(text);
    if let Some(s) = who {
        req = req.header("x-csrf-token", &s.csrf);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Sends an Excel workbook as the body.
async fn send_bytes(
    base: &str,
    who: Option<&Session>,
    path: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let client = match who {
        Some(s) => s.client.clone(),
        None => reqwest::Client::new(),
    };
    let mut req = client
        .post(format!("{base}{path}"))
        .header("content-type", crate::excel::XLSX)
        .body(bytes);
    if let Some(s) = who {
        req = req.header("x-csrf-token", &s.csrf);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Sends a request as a caller (`None`: no session at all).
async fn send(
    base: &str,
    who: Option<&Session>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method: Method = method.parse().unwrap();
    let client = match who {
        Some(s) => s.client.clone(),
        None => reqwest::Client::new(),
    };
    let mut req = client.request(method.clone(), format!("{base}{path}"));
    if let (Some(s), false) = (who, method == Method::GET) {
        req = req.header("x-csrf-token", &s.csrf);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    crate::helpers::schema_check::check_response(
        method.as_str(),
        path,
        status.as_u16(),
        text.as_bytes(),
    );
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Makes one call of the table: the fixture it needs, then the request.
async fn call(f: &Fixture<'_>, row: &Row, caller: &str) -> (StatusCode, Value) {
    let (app, w) = (f.app, f.w);
    let who = w.sessions.get(caller);
    let base = app.base.as_str();
    let n = UNIQUE.fetch_add(1, Ordering::SeqCst);
    match (row.method, row.path, row.variant) {
        ("POST", "/api/v1/session", _) => {
            // Logging in is done by a browser without a session; the
            // caller's own login is used.
            let login = if caller == "anonymous" {
                "office"
            } else {
                caller
            };
            let body = json!({ "login": login, "password": PASSWORD });
            send(base, None, "POST", row.path, Some(body)).await
        }
        ("DELETE", "/api/v1/session", _) => match who {
            // Logging out ends a session of its own, not the one the other
            // calls use.
            Some(s) => {
                let fresh = session(app, s.user_id).await;
                send(base, Some(&fresh), "DELETE", row.path, None).await
            }
            None => send(base, None, "DELETE", row.path, None).await,
        },
        ("GET", "/api/v1/search", _) => {
            send(
                base,
                who,
                "GET",
                "/api/v1/search?q=%E5%BB%BA%E8%AE%BE",
                None,
            )
            .await
        }
        ("GET", "/api/v1/matters/similar", _) => {
            let path = format!(
                "/api/v1/matters/similar?title=%E6%8E%88%E6%9D%83&lead={}",
                w.a
            );
            send(base, who, "GET", &path, None).await
        }
        ("GET", "/api/v1/matters/{id}/similar", _) => {
            let (m, _) = f.matter().await;
            send(
                base,
                who,
                "GET",
                &format!("/api/v1/matters/{m}/similar"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/matters/{id}/links" | "/api/v1/matters/{id}/unlink", _) => {
            let ((m, _), (other, _)) = (f.matter().await, f.matter().await);
            if row.path.ends_with("unlink") {
                app.store.link_matters(None, m, other, "").await.unwrap();
            }
            let path = row.path.replace("{id}", &m.to_string());
            let body = json!({ "other": other, "reason": "授权测试" });
            send(base, who, "POST", &path, Some(body)).await
        }
        ("GET", "/api/v1/proposals/{id}/similar", _) => {
            let (.., p, _) = f.document(n).await;
            send(
                base,
                who,
                "GET",
                &format!("/api/v1/proposals/{p}/similar"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/units", _) => {
            let body =
                json!({ "name": format!("测试单位{n}"), "level": "county", "kind": "department" });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("POST", "/api/v1/sources", _) => {
            send_file(
                base,
                who,
                "/api/v1/sources?name=任务分解.txt",
                document_text(1000 + n),
            )
            .await
        }
        ("GET", "/api/v1/sources/{id}", _) => {
            let (source, ..) = f.document(n).await;
            send(base, who, "GET", &format!("/api/v1/sources/{source}"), None).await
        }
        ("GET", "/api/v1/documents/{id}", _) => {
            let (_, doc, ..) = f.document(n).await;
            send(
                base,
                who,
                "GET",
                &format!("/api/v1/documents/{doc}?lines=true"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/documents/{id}/confirm-all", _) => {
            let (_, doc, ..) = f.document(n).await;
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/documents/{doc}/confirm-all"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/proposals/{id}/confirm", _) => {
            let (.., p, v) = f.document(n).await;
            let body = json!({ "version": v, "matter_type": "普通" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/proposals/{p}/confirm"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/proposals/{id}/reject", _) => {
            let (.., p, v) = f.document(n).await;
            let body = json!({ "version": v, "reason": "已在其他事项中办理" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/proposals/{p}/reject"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/imports/tasks" | "/api/v1/imports/projects", _) => {
            // A fresh one-row workbook each call: a row imported before is
            // refused as a repeat.
            let bytes = crate::excel::one_row_workbook(row.path.ends_with("projects"), n);
            send_bytes(
                base,
                who,
                &format!("{}?name=授权测试.xlsx", row.path),
                bytes,
            )
            .await
        }
        ("POST", "/api/v1/messages/read", _) => {
            send(base, who, "POST", row.path, Some(json!({ "all": true }))).await
        }
        ("PATCH", "/api/v1/units/{id}", _) => {
            let body =
                json!({ "kind": if n.is_multiple_of(2) { "township" } else { "department" } });
            send(
                base,
                who,
                "PATCH",
                &format!("/api/v1/units/{}", w.b),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/units/{id}/merge", _) => {
            // Two fresh units, so every caller has one to merge.
            let from = app.unit(&format!("并入测试单位{n}")).await;
            let into = app.unit(&format!("保留测试单位{n}")).await;
            let path = format!("/api/v1/units/{from}/merge");
            send(base, who, "POST", &path, Some(json!({ "into": into }))).await
        }
        ("GET", "/api/v1/units/resolve", _) => {
            send(
                base,
                who,
                "GET",
                "/api/v1/units/resolve?name=区财政局",
                None,
            )
            .await
        }
        ("POST", "/api/v1/matters", _) => {
            let body = json!({
                "title": format!("授权测试事项{n}"),
                "type": "普通",
                "source": { "type": "meeting", "name": "常务会议" },
                "lead": [w.a],
            });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("GET", "/api/v1/matters/{id}", _) => {
            let (m, _) = f.matter().await;
            send(base, who, "GET", &format!("/api/v1/matters/{m}"), None).await
        }
        ("POST", "/api/v1/matters/{id}/withdraw", _) => {
            let (m, _) = f.matter().await;
            let body = json!({ "reason": "授权测试" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/matters/{m}/withdraw"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/matters/{id}/urge", _)
        | ("POST", "/api/v1/matters/{id}/reassign", _)
        | ("POST", "/api/v1/matters/{id}/deadline", _)
        | ("POST", "/api/v1/matters/{id}/edit", _) => {
            let (m, _) = f.matter().await;
            let deadline = (now().date() + chrono::Duration::days(30)).to_string();
            let body = match row.path.rsplit('/').next().unwrap_or_default() {
                "urge" => json!({ "text": "请于今日内签收" }),
                "reassign" => json!({ "lead": [w.a], "co": [w.b], "reason": "授权测试" }),
                "deadline" => json!({ "deadline": deadline, "reason": "授权测试" }),
                _ => json!({ "title": "路灯不亮（修改）", "reason": "授权测试" }),
            };
            let path = row.path.replace("{id}", &m.to_string());
            send(base, who, "POST", &path, Some(body)).await
        }
        ("POST", "/api/v1/tracks/{id}/handler", _) => {
            let (_, t) = f.matter().await;
            let body = json!({ "handler": w.ids["handler_a"], "note": "请三日内反馈" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/tracks/{t}/handler"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/matters/{id}/instructions", _) => {
            let (m, _) = f.matter().await;
            let body = json!({ "text": "请抓紧办理，按期办结" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/matters/{m}/instructions"),
                Some(body),
            )
            .await
        }
        ("PUT", "/api/v1/users/{id}/principal", _) => {
            // Leader B stays an ordinary leader, so the other rows hold.
            let body = json!({ "principal": false });
            let path = format!("/api/v1/users/{}/principal", w.ids["leader_b"]);
            send(base, who, "PUT", &path, Some(body)).await
        }
        ("GET", "/api/v1/matters/{id}/urgings", _) => {
            let (m, _) = f.matter().await;
            send(
                base,
                who,
                "GET",
                &format!("/api/v1/matters/{m}/urgings"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/tracks/{id}/actions", v) if v.starts_with("unit") => {
            let (_, t) = f.matter().await;
            let body = json!({ "version": 1, "action": "sign_for" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/tracks/{t}/actions"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/tracks/{id}/actions", _) => {
            let (t, v) = f.close_requested().await;
            let body = json!({ "version": v, "action": "return", "reason": "材料不全" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/tracks/{t}/actions"),
                Some(body),
            )
            .await
        }
        ("GET", "/api/v1/attachments/{id}", _) => {
            let a = f.attachment().await;
            send(base, who, "GET", &format!("/api/v1/attachments/{a}"), None).await
        }
        ("POST", "/api/v1/appeals", _) => {
            let body = json!({ "content": "噪音扰民", "location": "和平路", "contact": "138" });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("GET", "/api/v1/appeals/{id}", _) => {
            let a = f.appeal().await;
            send(base, who, "GET", &format!("/api/v1/appeals/{a}"), None).await
        }
        ("POST", "/api/v1/appeals/{id}/accept", _) => {
            let a = f.appeal().await;
            let body = json!({ "type": "普通", "lead": [w.a] });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/appeals/{a}/accept"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/appeals/{id}/reject", _) => {
            let a = f.appeal().await;
            let body = json!({ "reason": "不属于受理范围" });
            send(
                base,
                who,
                "POST",
                &format!("/api/v1/appeals/{a}/reject"),
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/users", _) => {
            let body = json!({
                "login": format!("authz_user{n}"),
                "name": format!("测试用户{n}"),
                "role": "liaison",
                "unit_id": w.b,
                "password": "至少八个字符的密码Aa1",
            });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("POST", "/api/v1/me/password", _) => {
            let body =
                json!({ "current_password": "不是当前密码", "new_password": "新的密码Abc123" });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("POST", "/api/v1/users/{id}/password", _) => {
            let u = f.liaison_b(&format!("authz_reset{n}")).await;
            let body = json!({ "password": "重置后的密码Abc123" });
            let path = format!("/api/v1/users/{u}/password");
            send(base, who, "POST", &path, Some(body)).await
        }
        ("PUT", "/api/v1/users/{id}/active", _) => {
            let u = f.liaison_b(&format!("authz_active{n}")).await;
            let path = format!("/api/v1/users/{u}/active");
            send(base, who, "PUT", &path, Some(json!({ "active": false }))).await
        }
        ("POST", "/api/v1/users/{id}/tokens", _) => {
            let path = format!("/api/v1/users/{}/tokens", w.ids["liaison_b"]);
            let body = json!({ "name": format!("授权测试令牌{n}") });
            send(base, who, "POST", &path, Some(body)).await
        }
        ("DELETE", "/api/v1/tokens/{id}", _) => {
            let token = app
                .store
                .create_api_token(
                    None,
                    w.ids["liaison_b"],
                    "授权测试",
                    &format!("authz-token-{n}"),
                )
                .await
                .unwrap();
            let path = format!("/api/v1/tokens/{}", token.id);
            send(base, who, "DELETE", &path, None).await
        }
        ("GET", "/api/v1/calendar/{year}", _) => {
            send(base, who, "GET", "/api/v1/calendar/2027", None).await
        }
        ("DELETE", "/api/v1/calendar/{year}", _) => {
            // A year entered for this row alone, removed again.
            let year = 2040 + n % 50;
            let body = json!({ "holidays": [format!("{year}-01-01")], "workdays": [] });
            let admin = w.sessions.get("admin");
            send(
                base,
                admin,
                "PUT",
                &format!("/api/v1/calendar/{year}"),
                Some(body),
            )
            .await;
            send(
                base,
                who,
                "DELETE",
                &format!("/api/v1/calendar/{year}"),
                None,
            )
            .await
        }
        ("POST", "/api/v1/calendar/notice", _) => {
            // A preview only: applying would change the calendar other rows use.
            let body = json!({
                "text": "国务院办公厅关于2031年部分节假日安排的通知\n一、元旦：1月1日（周三）放假，共1天。",
                "apply": false,
            });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("PUT", "/api/v1/calendar/{year}", _) => {
            // A year no other test relies on.
            let body = json!({
                "source": "授权测试",
                "holidays": ["2035-01-01"],
                "workdays": [],
            });
            send(base, who, "PUT", "/api/v1/calendar/2035", Some(body)).await
        }
        ("POST", "/api/v1/division-of-work", _) => {
            // A preview only: applying would change the leaders' oversight
            // the other rows depend on.
            let body = json!({
                "text": "王五（副区长）\n负责财政等方面工作。\n具体分管：区财政局。\n",
                "apply": false,
            });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("POST", "/api/v1/matter-types", _) => {
            let body = json!({
                "name": format!("授权测试类型{n}"),
                "counting": "working",
                "resolve": { "days": 5 },
            });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("PUT", "/api/v1/matter-types/{name}", _) => {
            // A fresh type each call, so an admin's change leaves nothing
            // the other calls see.
            let name = format!("授权测试修改类型{n}");
            app.store
                .create_matter_type(
                    None,
                    duban_domain::matter::MatterType {
                        name: name.clone(),
                        kind: duban_domain::matter::MatterKind::Custom,
                        ..duban_domain::matter::MatterType::ordinary()
                    },
                )
                .await
                .unwrap();
            let body = json!({ "near_days": 2 });
            send(
                base,
                who,
                "PUT",
                &format!("/api/v1/matter-types/{name}"),
                Some(body),
            )
            .await
        }
        ("GET", "/api/v1/assessment/rules/{year}", _) => {
            send(base, who, "GET", "/api/v1/assessment/rules/2024", None).await
        }
        ("PUT", "/api/v1/assessment/rules/{year}", _) => {
            // A year no other test relies on.
            let body = serde_json::to_value(duban_domain::assess::Rules::default()).unwrap();
            send(
                base,
                who,
                "PUT",
                "/api/v1/assessment/rules/2036",
                Some(body),
            )
            .await
        }
        ("POST", "/api/v1/inspections", _) => {
            let body = json!({ "unit_id": w.a, "kind": "onsite", "date": now().date(), "finding": format!("授权测试督查{n}"), "points": 1 });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("POST", "/api/v1/summons", _) => {
            let body = json!({ "unit_id": w.a, "date": now().date(), "reason": format!("授权测试约谈{n}") });
            send(base, who, "POST", row.path, Some(body)).await
        }
        ("GET", "/api/v1/indicators/{matter_id}/{index}", _) => {
            let m = crate::indicators::target_matter(&app.store, w.a).await;
            send(base, who, "GET", &format!("/api/v1/indicators/{m}/0"), None).await
        }
        ("POST", "/api/v1/indicators/{matter_id}/{index}/values", _) => {
            let m = crate::indicators::target_matter(&app.store, w.a).await;
            let body = json!({ "period": crate::indicators::this_month(), "value": 12 });
            let path = format!("/api/v1/indicators/{m}/0/values");
            send(base, who, "POST", &path, Some(body)).await
        }
        ("PUT", "/api/v1/security/settings", _) => {
            // The default, so the other calls see the rules unchanged.
            let body = json!({ "accounts": { "lock_minutes": 15 } });
            send(base, who, "PUT", row.path, Some(body)).await
        }
        ("POST", "/api/v1/users/{id}/unlock", _) | ("DELETE", "/api/v1/users/{id}/totp", _) => {
            let path = row.path.replace("{id}", &w.ids["public2"].to_string());
            send(base, who, row.method, &path, None).await
        }
        ("POST", "/api/v1/me/totp", _) => send(base, who, "POST", row.path, None).await,
        ("POST", "/api/v1/me/totp/confirm", _) => {
            // A fresh enrolment, confirmed with a code that is never right.
            send(base, who, "POST", "/api/v1/me/totp", None).await;
            let body = json!({ "code": "abcdef" });
            send(base, who, "POST", row.path, Some(body)).await
        }
        (method, path, _) if !path.contains('{') && method == "GET" => {
            send(base, who, "GET", path, None).await
        }
        (method, path, variant) => panic!(
            "no way to call {method} {path} {variant} yet: add it to `call` in tests/api/authz.rs"
        ),
    }
}

#[tokio::test]
async fn every_endpoint_as_every_role() {
    for url in fresh_databases("api_authz").await {
        let app = TestApp::spawn(&url).await;
        let mut w = World::new(&app).await;
        for (login, role) in [
            ("security", duban_domain::org::Role::Security),
            ("auditor", duban_domain::org::Role::Auditor),
        ] {
            let id = app.user(login, role, None).await;
            w.ids.insert(login, id);
            w.sessions.insert(login, session(&app, id).await);
        }
        let f = Fixture { app: &app, w: &w };

        // The document the server serves is the generated one: the
        // operations of the routes as registered with their handlers.
        let (status, doc) = send(&app.base, None, "GET", "/api/openapi.json", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc, duban_web::openapi::document());
        let operations = |doc: &Value| -> BTreeSet<(String, String)> {
            let mut out = BTreeSet::new();
            for (path, item) in doc["paths"].as_object().unwrap() {
                for method in item.as_object().unwrap().keys() {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
            out
        };
        let documented = operations(&doc);

        // Every documented endpoint is in the table here, and nothing else.
        let in_test: BTreeSet<(String, String)> = TABLE
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        let missing: Vec<_> = documented.difference(&in_test).collect();
        assert!(
            missing.is_empty(),
            "documented endpoints without a row in the authorisation table: {missing:?}"
        );
        let stale: Vec<_> = in_test.difference(&documented).collect();
        assert!(
            stale.is_empty(),
            "rows for endpoints not documented: {stale:?}"
        );

        // Every call, checked.
        let mut failures = Vec::new();
        for row in TABLE {
            let doc_codes: Vec<u16> = doc["paths"][row.path][row.method.to_lowercase()]
                ["responses"]
                .as_object()
                .map(|r| r.keys().filter_map(|c| c.parse().ok()).collect())
                .unwrap_or_default();
            for (caller, want) in CALLERS.iter().zip(row.want) {
                let (status, body) = call(&f, row, caller).await;
                let expected = match want {
                    Y => row.ok,
                    F => 403,
                    H => 404,
                    N => 401,
                };
                if status.as_u16() != expected {
                    failures.push(format!(
                        "{} {} {} as {caller}: want {expected}, got {status}: {body}",
                        row.method, row.path, row.variant
                    ));
                }
                if !doc_codes.contains(&status.as_u16()) {
                    failures.push(format!(
                        "{} {} answered {status} as {caller}, a code its documentation does not list",
                        row.method, row.path
                    ));
                }
                if want != Y && !matches!(body["error"].as_str(), Some(m) if !m.is_empty()) {
                    failures.push(format!(
                        "{} {} as {caller}: a refusal without a message: {body}",
                        row.method, row.path
                    ));
                }
            }
        }

        // The security and audit admins on every row.
        let keyed: BTreeSet<(&str, &str, &str)> = TABLE
            .iter()
            .map(|r| (r.method, r.path, r.variant))
            .collect();
        let admins: BTreeSet<(&str, &str, &str)> = THREE_ADMINS
            .iter()
            .map(|(m, p, v, _)| (*m, *p, *v))
            .collect();
        assert_eq!(
            keyed, admins,
            "THREE_ADMINS must have exactly the rows of TABLE"
        );
        for row in TABLE {
            let want = THREE_ADMINS
                .iter()
                .find(|(m, p, v, _)| (*m, *p, *v) == (row.method, row.path, row.variant))
                .map(|r| r.3)
                .unwrap();
            for (caller, want) in ["security", "auditor"].into_iter().zip(want) {
                let (status, body) = call(&f, row, caller).await;
                let expected = match want {
                    Y => row.ok,
                    F => 403,
                    H => 404,
                    N => 401,
                };
                let short: String = body.to_string().chars().take(160).collect();
                if status.as_u16() != expected {
                    failures.push(format!(
                        "{} {} {} as {caller}: want {expected}, got {status}: {short}",
                        row.method, row.path, row.variant
                    ));
                } else if want != Y && !matches!(body["error"].as_str(), Some(m) if !m.is_empty()) {
                    failures.push(format!(
                        "{} {} as {caller}: a refusal without a message: {short}",
                        row.method, row.path
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));

        // A documented path answers 405 to the methods it does not document
        // (it would answer otherwise if a handler were hidden there).
        let admin = w.s("admin");
        let mut paths: HashMap<&str, Vec<&str>> = HashMap::new();
        for (method, path) in &documented {
            paths.entry(path).or_default().push(method);
        }
        for (path, methods) in &paths {
            let concrete = path.replace("{id}", "1");
            for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                if methods.contains(&m) {
                    continue;
                }
                let (status, body) =
                    send(&app.base, Some(admin), m, &concrete, Some(json!({}))).await;
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is served but not documented: {body}"
                );
            }
        }
        let (status, _) = send(&app.base, Some(admin), "GET", "/api/v1/nowhere", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.stop().await;
    }
}
