//! End-to-end tests in a real browser: Debian's headless Chromium driven
//! through chromedriver (WebDriver), against the real server on a fresh
//! database. Each role walks its main flow through the pages, as a person
//! would: typing into forms and pressing buttons.
//!
//! The browser is needed: without `chromium` and `chromedriver` the test
//! says so and passes, unless `DUBAN_REQUIRE_BROWSER=1` (CI) makes it fail.
//! With `DUBAN_SCREENSHOTS=1` each main page is saved as a PNG under
//! `docs/screenshots/` for the README.

#[path = "../api/helpers.rs"]
mod helpers;

mod account;
mod audit;
mod calendar;
mod duplicates;
mod flows;
mod handler;
mod leaders;
mod messages;
mod office;
mod registry;
mod reports;
mod search;
mod trust;
mod word;

use fantoccini::{Client, ClientBuilder, Locator};
use helpers::{TestApp, PASSWORD};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The chromedriver process, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver on a free port, or says why it cannot.
pub async fn driver() -> Option<Driver> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !std::path::Path::new(p).exists())
        .collect();
    if !missing.is_empty() {
        let required = std::env::var("DUBAN_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "DUBAN_REQUIRE_BROWSER=1 but {missing:?} not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("browser tests skipped: {missing:?} not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    // Owned by `Driver` at once, so it is killed and waited for on every
    // path, a failed start included.
    let driver = Driver {
        child: Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

/// A fresh headless browser window (its own profile, so its own cookies).
pub async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1366,900", "--lang=zh-CN"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// A person at a browser: the window and the server's address.
pub struct Person {
    pub c: Client,
    pub base: String,
}

impl Person {
    pub async fn open(driver: &Driver, app: &TestApp) -> Person {
        Person {
            c: browser(driver).await,
            base: app.base.clone(),
        }
    }

    pub async fn go(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let url = self.c.current_url().await.expect("url");
        let s = url.as_str();
        s.strip_prefix(&self.base).unwrap_or(s).to_string()
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        for _ in 0..50 {
            if let Ok(body) = self.c.find(Locator::Css("body")).await {
                if let Ok(t) = body.text().await {
                    return t;
                }
            }
            // The page was being replaced; read the new one.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no page text on {}", self.path().await);
    }

    /// Clicks `el` and waits until the browser has loaded the next page
    /// (the old document's root is gone).
    async fn click_and_wait(&self, el: fantoccini::elements::Element) {
        let root = self.c.find(Locator::Css("html")).await.expect("root");
        el.click().await.expect("click");
        for _ in 0..100 {
            let replaced = matches!(
                self.c.find(Locator::Css("html")).await,
                Ok(now) if now.element_id() != root.element_id()
            );
            if replaced && self.c.find(Locator::Css("body")).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no page came after the click on {}", self.path().await);
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let here = self.path().await;
        let el = self
            .c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no field {css} on {here}: {e}"));
        el.clear().await.expect("clear");
        el.send_keys(value).await.expect("type");
    }

    /// Presses the button (or link) at `css` and waits for the next page.
    pub async fn click(&self, css: &str) {
        let here = self.path().await;
        let el = self
            .c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {css} on {here}: {e}"));
        self.click_and_wait(el).await;
    }

    /// Presses the button at `xpath` and waits for the next page.
    pub async fn click_xpath(&self, xpath: &str) {
        let here = self.path().await;
        let el = self
            .c
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {xpath} on {here}: {e}"));
        self.click_and_wait(el).await;
    }

    /// Logs in through the log-in page and lands on the start page.
    pub async fn login(&self, login: &str) {
        self.go("/login").await;
        self.fill("input[name=login]", login).await;
        self.fill("input[name=password]", PASSWORD).await;
        self.click("main button[type=submit]").await;
        let text = self.text().await;
        assert!(
            !text.contains("登录名或密码不正确"),
            "{login} could not log in"
        );
    }

    /// The form of the action `code` on track `track` (its <details> opened).
    pub async fn action_form(&self, track: i64, code: &str) -> String {
        let form = format!(
            "//form[@action='/tracks/{track}/act'][input[@name='action' and @value='{code}']]"
        );
        let summary = format!("{form}/parent::details/summary");
        if let Ok(s) = self.c.find(Locator::XPath(&summary)).await {
            let open = self
                .c
                .find(Locator::XPath(&format!("{form}/parent::details")))
                .await
                .expect("details")
                .attr("open")
                .await
                .expect("attr");
            if open.is_none() {
                s.click().await.expect("open the form");
            }
        }
        form
    }

    /// Sends `file` through the documents page's upload form; `again`
    /// ticks the box that reads a file already uploaded once more (shown
    /// after such a file was refused, so the page is not reloaded first).
    pub async fn upload(&self, file: &std::path::Path, again: bool) {
        if !again {
            self.go("/documents").await;
        }
        self.c
            .find(Locator::Css("input[type=file]"))
            .await
            .expect("a file field")
            .send_keys(file.to_str().expect("path"))
            .await
            .expect("file chosen");
        if again {
            self.c
                .find(Locator::Css("input[name=again]"))
                .await
                .expect("the box to read it again")
                .click()
                .await
                .expect("ticked");
        }
        self.click("form[enctype='multipart/form-data'] button[type=submit]")
            .await;
    }

    /// Saves the page as `docs/screenshots/{name}.png` when asked to.
    pub async fn shot(&self, name: &str) {
        if std::env::var("DUBAN_SCREENSHOTS").is_err() {
            return;
        }
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    pub async fn quit(self) {
        let _ = self.c.close().await;
    }
}
