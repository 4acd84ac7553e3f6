//! User journeys in headless Chromium.

mod common;

use common::browser::Browser;
use common::spawn_app;
use relais::services::demo;
use thirtyfour::prelude::*;

#[actix_web::test]
async fn a_demo_participant_logs_in_sees_the_branded_home_and_logs_out() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn()).expect("seed demo");
    let participant = demo::DEMO_USERS
        .iter()
        .find(|u| u.role == relais::domain::Role::Participant)
        .unwrap();
    let browser = Browser::start(1200, 900).await;
    let d = &browser.driver;

    // Any page of the portal leads to the login page, in the tenant's language (French).
    d.goto(app.url("respire.localhost", "/")).await.unwrap();
    assert!(d.current_url().await.unwrap().path().ends_with("/login"));
    assert_eq!(
        d.find(By::Tag("h1")).await.unwrap().text().await.unwrap(),
        "Connexion à Respire"
    );

    d.find(By::Id("email"))
        .await
        .unwrap()
        .send_keys(participant.email)
        .await
        .unwrap();
    d.find(By::Id("password"))
        .await
        .unwrap()
        .send_keys(demo::DEMO_PASSWORD)
        .await
        .unwrap();
    d.find(By::Css("button[type=submit].button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let welcome = d.find(By::Css("[data-testid=welcome]")).await.unwrap();
    assert_eq!(
        welcome.text().await.unwrap(),
        format!("Bienvenue, {} !", participant.name)
    );
    // Branded: the tenant's name in the top bar and its colour on the bar.
    assert_eq!(
        d.find(By::Css(".brand-name"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Respire"
    );
    let bar = d
        .find(By::Css(".topbar"))
        .await
        .unwrap()
        .css_value("background-color")
        .await
        .unwrap();
    assert_eq!(
        bar, "rgba(46, 107, 79, 1)",
        "#2e6b4f, Respire's primary colour"
    );
    // A participant sees no back-office links.
    assert!(!d.source().await.unwrap().contains("href=\"/admin\""));

    d.find(By::Css("[data-testid=logout]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Id("email")).await.unwrap();
    assert!(d.current_url().await.unwrap().path().ends_with("/login"));
    d.goto(app.url("respire.localhost", "/")).await.unwrap();
    assert!(
        d.current_url().await.unwrap().path().ends_with("/login"),
        "logged out for real"
    );

    browser.quit().await;
}

#[actix_web::test]
async fn an_admin_changes_the_theme_with_a_live_preview() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn()).expect("seed demo");
    let admin = &demo::DEMO_USERS[0];
    let browser = Browser::start(1200, 900).await;
    let d = &browser.driver;

    d.goto(app.url("respire.localhost", "/login?next=/admin/theme"))
        .await
        .unwrap();
    d.find(By::Id("email"))
        .await
        .unwrap()
        .send_keys(admin.email)
        .await
        .unwrap();
    d.find(By::Id("password"))
        .await
        .unwrap()
        .send_keys(demo::DEMO_PASSWORD)
        .await
        .unwrap();
    d.find(By::Css("button[type=submit].button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(d
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/admin/theme"));

    let primary = d.find(By::Id("primary_color")).await.unwrap();
    primary.clear().await.unwrap();
    primary.send_keys("#123456").await.unwrap();
    let preview = d.find(By::Css(".preview-bar")).await.unwrap();
    assert_eq!(
        preview.css_value("background-color").await.unwrap(),
        "rgba(18, 52, 86, 1)",
        "preview follows typing"
    );

    d.find(By::Css("[data-theme-form] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let flash = d
        .find(By::Css(".flash"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(flash, "Thème enregistré.");
    let bar = d
        .find(By::Css(".topbar"))
        .await
        .unwrap()
        .css_value("background-color")
        .await
        .unwrap();
    assert_eq!(bar, "rgba(18, 52, 86, 1)");

    browser.quit().await;
}

#[actix_web::test]
async fn an_invited_participant_sets_a_password_logs_in_and_switches_to_french() {
    use common::smtp::SmtpSink;
    use relais::services::audit::Actor;
    use relais::services::invitations::{self, InviteInput};

    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let input = InviteInput {
        email: "ines@shop.example",
        display_name: "Inès",
        role: relais::domain::Role::Participant,
        locale: None,
        partner_code: Some("PH-1"),
    };
    app.create_partner(&tenant, "PH-1");
    invitations::invite_user(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap();
    let sink = SmtpSink::start().await;
    app.worker(sink.port)
        .run_due(chrono::Utc::now())
        .await
        .unwrap();
    let link = sink.messages()[0].link("/account/invitation/");

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    d.goto(&link).await.unwrap();
    d.find(By::Id("password"))
        .await
        .unwrap()
        .send_keys("inès-password-1")
        .await
        .unwrap();
    d.find(By::Id("confirmation"))
        .await
        .unwrap()
        .send_keys("inès-password-1")
        .await
        .unwrap();
    d.find(By::Css("form button[type=submit].button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    assert_eq!(
        d.find(By::Css(".flash"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Your password is saved. You can now log in."
    );
    d.find(By::Id("email"))
        .await
        .unwrap()
        .send_keys("ines@shop.example")
        .await
        .unwrap();
    d.find(By::Id("password"))
        .await
        .unwrap()
        .send_keys("inès-password-1")
        .await
        .unwrap();
    d.find(By::Css("button[type=submit].button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        d.find(By::Css("[data-testid=welcome]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Welcome, Inès!"
    );

    let select =
        thirtyfour::components::SelectElement::new(&d.find(By::Id("lang-select")).await.unwrap())
            .await
            .unwrap();
    select.select_by_value("fr").await.unwrap();
    let welcome = d
        .query(By::Css("[data-testid=welcome]"))
        .with_text("Bienvenue, Inès !")
        .first()
        .await
        .unwrap();
    assert!(welcome.is_displayed().await.unwrap());
    assert_eq!(
        d.find(By::Css("[data-testid=logout]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Se déconnecter"
    );

    d.find(By::Css("[data-testid=logout]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        d.find(By::Tag("h1")).await.unwrap().text().await.unwrap(),
        "Connexion à Acme"
    );
    browser.quit().await;
}
