//! Headless Chromium through Debian's chromedriver, one browser per test.

use std::process::Stdio;
use std::time::Duration;

use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

pub struct Browser {
    pub driver: WebDriver,
    _chromedriver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// axe-core, installed from the npm registry by `scripts/test` (or `RELAIS_AXE_JS`).
fn axe_source() -> String {
    let path = std::env::var("RELAIS_AXE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/judges/node_modules/axe-core/axe.min.js"
        )
        .to_string()
    });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path}: {e} (scripts/test installs it)"))
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a window of the given size.
    pub async fn start(width: u32, height: u32) -> Browser {
        let chromedriver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
            .expect("chromedriver not found: scripts/test installs chromium and chromium-driver");
        let chromium =
            find(&["/usr/bin/chromium", "/usr/lib/chromium/chromium"]).expect("chromium not found");
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let status_url = format!("http://127.0.0.1:{port}/status");
        for _ in 0..100 {
            if reqwest::get(&status_url).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chromium).expect("binary");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            // The video missions' player is started by the tests, not by a gesture.
            "--autoplay-policy=no-user-gesture-required",
            &format!("--window-size={width},{height}"),
        ] {
            caps.add_arg(arg).expect("arg");
        }
        // Chromium's windows are at least 500 px wide: a phone is emulated instead
        // (its viewport, pixel ratio and touch), as DevTools' device mode does.
        if width < 500 {
            caps.add_experimental_option(
                "mobileEmulation",
                serde_json::json!({
                    "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true, "mobile": true }
                }),
            )
            .expect("mobile emulation");
        }
        let user_data = std::env::temp_dir().join(format!("relais-chromium-{port}"));
        caps.add_arg(&format!("--user-data-dir={}", user_data.display()))
            .expect("arg");
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("start a Chromium session");
        driver
            .set_implicit_wait_timeout(Duration::from_secs(15))
            .await
            .expect("implicit wait");
        driver
            .set_script_timeout(Duration::from_secs(60))
            .await
            .expect("script timeout");
        Browser {
            driver,
            _chromedriver: child,
        }
    }

    /// axe-core's serious and critical violations on the current page (WCAG 2.1 A/AA and
    /// best practices), one line each with the first offending elements.
    pub async fn axe_violations(&self) -> Vec<String> {
        let d = &self.driver;
        let loaded = d
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await
            .expect("probe axe")
            .json()
            .as_bool()
            .unwrap_or(false);
        if !loaded {
            d.execute(&format!("{}\nreturn true;", axe_source()), vec![])
                .await
                .expect("inject axe-core");
        }
        let ret = d
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3)
    .map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\s+/g, ' ') + ')').join('; '))))
  .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await
            .expect("run axe-core");
        serde_json::from_value(ret.json().clone()).expect("axe result")
    }

    /// What makes the current page wider than the window: the page itself or a table
    /// that only scrolls sideways (tables must stack on a phone instead).
    pub async fn overflow(&self) -> Vec<String> {
        let ret = self
            .driver
            .execute(
                r#"const out = [];
const w = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > w + 1) out.push('page is ' + document.documentElement.scrollWidth + 'px wide in a ' + w + 'px window');
document.querySelectorAll('table, pre, .table-wrap').forEach(t => {
  if (t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflowX !== 'visible')
    out.push(t.tagName.toLowerCase() + (t.className ? '.' + t.className : '') + ' scrolls sideways (' + t.scrollWidth + ' > ' + t.clientWidth + ')');
  else if (t.getBoundingClientRect().right > w + 1)
    out.push(t.tagName.toLowerCase() + (t.className ? '.' + t.className : '') + ' sticks out of the window');
});
return out;"#,
                vec![],
            )
            .await
            .expect("measure overflow");
        serde_json::from_value(ret.json().clone()).expect("overflow result")
    }

    pub async fn quit(self) {
        self.driver.quit().await.expect("quit browser");
    }
}

/// On a phone the header's menu is folded behind a button: opens it if it is.
pub async fn reveal_menu(d: &WebDriver) {
    if let Ok(toggle) = d.find(By::Css("[data-menu-toggle]")).await {
        if toggle.is_displayed().await.unwrap_or(false)
            && toggle.attr("aria-expanded").await.ok().flatten().as_deref() == Some("false")
        {
            toggle.click().await.expect("open the menu");
        }
    }
}

/// The login page object: fills the e-mail and password of the page shown and submits.
pub async fn submit_login(d: &WebDriver, email: &str, password: &str) {
    d.find(By::Id("email"))
        .await
        .expect("the login form's e-mail")
        .send_keys(email)
        .await
        .expect("type the e-mail");
    d.find(By::Id("password"))
        .await
        .expect("the login form's password")
        .send_keys(password)
        .await
        .expect("type the password");
    d.find(By::Css("button[type=submit].button"))
        .await
        .expect("the login button")
        .click()
        .await
        .expect("submit the login form");
}
