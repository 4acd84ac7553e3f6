//! The docs page in Chromium: an admin creates a key, then reads the API in Swagger UI,
//! which runs under the app's own Content-Security-Policy (no inline script, no CDN).

use relais::services::demo;
use thirtyfour::prelude::*;

use crate::common::browser::{submit_login, Browser};
use crate::common::spawn_app;

#[actix_web::test]
async fn an_admin_creates_a_key_and_reads_the_api_in_swagger_ui_under_the_csp() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let admin = demo::DEMO_USERS
        .iter()
        .find(|u| u.role == relais::domain::Role::Admin)
        .unwrap();
    let browser = Browser::start(1200, 900).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/login"))
        .await
        .unwrap();
    submit_login(d, admin.email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    d.goto(app.url("respire.localhost", "/admin/api-keys"))
        .await
        .unwrap();
    d.find(By::Id("name"))
        .await
        .unwrap()
        .send_keys("Shop connector")
        .await
        .unwrap();
    d.find(By::Css("input[name=scopes][value=sell-out]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css(
        "form[action='/admin/api-keys'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let secret = d
        .find(By::Css("[data-testid=api-key-secret]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(secret.starts_with("rls_"));
    assert!(
        browser.axe_violations().await.is_empty(),
        "the keys page passes axe"
    );

    d.find(By::Css("a[href='/api/docs']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let sell_in = d
        .find(By::Css(
            ".opblock-summary-path[data-path='/api/v1/sell-in']",
        ))
        .await
        .expect("Swagger UI rendered the document");
    assert!(sell_in.is_displayed().await.unwrap());
    let operations = d
        .execute(
            "return document.querySelectorAll('.opblock').length;",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .as_i64()
        .unwrap();
    assert!(operations >= 16, "{operations} operations shown");
    browser.quit().await;

    // Served with the app's policy, unchanged.
    let client = app.client("respire.localhost");
    let page = client
        .http
        .get(format!("{}/api/docs", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()["content-security-policy"],
        relais::startup::CONTENT_SECURITY_POLICY
    );
}
