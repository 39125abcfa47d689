//! `TestApp`: the real server on port 0 over a fresh database, and typed
//! helpers to talk to it over HTTP as each kind of user.

#![allow(dead_code)] // helpers serve every test module; not each uses all

#[path = "schema_check.rs"]
pub mod schema_check;

use duban_domain::org::{Level, Role, UnitKind};
use duban_store::{NewUnit, NewUser, Store};
use duban_web::{auth::hash_password, AppState, Config};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = "督办Test#2024";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A logged-in HTTP client.
pub struct Session {
    pub client: Client,
    pub csrf: String,
    pub base: String,
    pub user_id: i64,
}

impl TestApp {
    /// Starts the app on a fresh database at `url`, with an admin `admin`.
    pub async fn spawn(url: &str) -> TestApp {
        TestApp::spawn_with(url, |_| {}).await
    }

    /// Starts the app with the configuration changed by `change`, with an
    /// admin `admin`.
    pub async fn spawn_with(url: &str, change: impl FnOnce(&mut Config)) -> TestApp {
        let app = TestApp::spawn_beside_with(url, change).await;
        app.user("admin", Role::Admin, None).await;
        app
    }

    /// Starts another server on the database at `url`, adding nothing to it.
    pub async fn spawn_beside(url: &str) -> TestApp {
        TestApp::spawn_beside_with(url, |_| {}).await
    }

    async fn spawn_beside_with(url: &str, change: impl FnOnce(&mut Config)) -> TestApp {
        let store = Store::open(url).await.expect("database opens");
        let mut config = Config {
            database_url: url.to_string(),
            listen: "127.0.0.1:0".into(),
            // The server closes a keep-alive connection that sends no
            // request head within this deadline; a test's client that
            // pauses longer on a loaded machine (hashing passwords) would
            // reuse a connection the server is closing (IncompleteMessage).
            // The deadline's own test sets it short.
            header_timeout_secs: 300,
            ..Config::default()
        };
        change(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(store.clone(), config);
        tokio::spawn(async move {
            duban_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        TestApp {
            base,
            store,
            shutdown: Some(tx),
        }
    }

    /// Creates a user with the test password.
    pub async fn user(&self, login: &str, role: Role, unit: Option<i64>) -> i64 {
        self.store
            .create_user(
                None,
                NewUser {
                    login: login.into(),
                    name: format!("{login}的名字"),
                    role,
                    unit_id: unit,
                    email: Some(format!("{login}@example.org")),
                    password_hash: hash_password(PASSWORD),
                },
            )
            .await
            .expect("user created")
            .id
    }

    pub async fn unit(&self, name: &str) -> i64 {
        self.store
            .create_unit(
                None,
                NewUnit {
                    name: name.into(),
                    aliases: vec![],
                    parent: None,
                    level: Level::County,
                    kind: UnitKind::Department,
                },
            )
            .await
            .expect("unit created")
            .id
    }

    pub fn anonymous(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    pub async fn login(&self, login: &str) -> Session {
        let client = self.anonymous();
        let resp = client
            .post(format!("{}/api/v1/session", self.base))
            .json(&serde_json::json!({ "login": login, "password": PASSWORD }))
            .send()
            .await
            .expect("login request");
        assert_eq!(resp.status(), StatusCode::OK, "login {login}");
        let body: Value = resp.json().await.expect("json");
        Session {
            client,
            csrf: body["csrf"].as_str().expect("csrf").to_string(),
            base: self.base.clone(),
            user_id: body["user"]["id"].as_i64().expect("id"),
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.store.close().await;
    }
}

impl Session {
    pub async fn get(&self, path: &str) -> Response {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        checked("GET", path, resp).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .expect("request");
        checked("POST", path, resp).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        let resp = self
            .client
            .put(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .expect("request");
        checked("PUT", path, resp).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        let resp = self
            .client
            .patch(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .expect("request");
        checked("PATCH", path, resp).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        let resp = self
            .client
            .delete(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .send()
            .await
            .expect("request");
        checked("DELETE", path, resp).await
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> Response {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request");
        checked("POST", path, resp).await
    }
}

/// The answer as received, its body checked against its schema in the
/// OpenAPI document where the route answers with a typed view.
async fn checked(method: &str, path: &str, resp: Response) -> Response {
    if resp.status() != StatusCode::OK || schema_check::typed_view(method, path).is_none() {
        return resp;
    }
    let (status, version, headers) = (resp.status(), resp.version(), resp.headers().clone());
    let bytes = resp.bytes().await.expect("body");
    schema_check::check_response(method, path, status.as_u16(), &bytes);
    let mut again = axum::http::Response::new(bytes);
    *again.status_mut() = status;
    *again.version_mut() = version;
    *again.headers_mut() = headers;
    Response::from(again)
}

/// A log-in form as a browser gets it: the cookie header to send back and
/// the form's hidden CSRF token.
pub async fn login_form(client: &Client, base: &str) -> (String, String) {
    let resp = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page");
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let html = resp.text().await.expect("html");
    let token = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("token in the form")
        .to_string();
    (cookie, token)
}

/// The status and JSON body of a response.
pub async fn json(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body)
}
