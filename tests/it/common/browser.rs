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
            &format!("--window-size={width},{height}"),
        ] {
            caps.add_arg(arg).expect("arg");
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
        Browser {
            driver,
            _chromedriver: child,
        }
    }

    pub async fn quit(self) {
        self.driver.quit().await.expect("quit browser");
    }
}
