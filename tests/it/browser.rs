//! User journeys in headless Chromium.

use crate::common;

use common::browser::Browser;
use common::spawn_app;
use relais::services::demo;
use thirtyfour::prelude::*;

#[actix_web::test]
async fn a_demo_participant_logs_in_sees_the_branded_home_and_logs_out() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
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

    common::browser::submit_login(d, participant.email, demo::DEMO_PASSWORD).await;

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
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let admin = &demo::DEMO_USERS[0];
    let browser = Browser::start(1200, 900).await;
    let d = &browser.driver;

    d.goto(app.url("respire.localhost", "/login?next=/admin/theme"))
        .await
        .unwrap();
    common::browser::submit_login(d, admin.email, demo::DEMO_PASSWORD).await;
    // The theme page's field first: the click returns before the next page loads.
    let primary = d.find(By::Id("primary_color")).await.unwrap();
    assert!(d
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/admin/theme"));

    primary.clear().await.unwrap();
    primary.send_keys("#123456").await.unwrap();
    let preview = d.find(By::Css(".preview-bar")).await.unwrap();
    assert_eq!(
        preview.css_value("background-color").await.unwrap(),
        "rgba(18, 52, 86, 1)",
        "preview follows typing"
    );
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());

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
        form_token: "",
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
    common::browser::submit_login(d, "ines@shop.example", "inès-password-1").await;
    assert_eq!(
        d.find(By::Css("[data-testid=welcome]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Welcome, Inès!"
    );

    common::browser::reveal_menu(d).await;
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
    common::browser::reveal_menu(d).await;
    assert_eq!(
        d.find(By::Css("[data-testid=logout]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Se déconnecter"
    );

    log_out(d).await;
    assert_eq!(
        d.find(By::Tag("h1")).await.unwrap().text().await.unwrap(),
        "Connexion à Acme"
    );
    browser.quit().await;
}

/// Logs out and waits for the login page: going elsewhere before the logout's answer
/// arrives races it (the next login form would carry the old session's CSRF token).
async fn log_out(d: &WebDriver) {
    common::browser::reveal_menu(d).await;
    d.find(By::Css("[data-testid=logout]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Id("email")).await.unwrap();
}

/// Logs in on the acme tenant's login page, going on to `next`.
async fn log_in(d: &WebDriver, app: &common::TestApp, email: &str, next: &str) {
    d.goto(app.url("acme.localhost", &format!("/login?next={next}")))
        .await
        .unwrap();
    common::browser::submit_login(d, email, common::PASSWORD).await;
}

#[actix_web::test]
async fn a_participant_declares_a_sale_on_a_phone_an_admin_approves_it_and_the_points_arrive() {
    use common::smtp::SmtpSink;
    use relais::services::audit::Actor;
    use relais::services::partners::{self, PartnerInput};
    use relais::services::products::{self, ProductInput};

    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let tid = tenant.tenant_id();
    let actor = Actor::system("test");
    let partner = PartnerInput {
        external_code: "PH-75-0012".into(),
        name: "Pharmacie du Marais".into(),
        kind: "reseller".into(),
        brand_mode: "multi".into(),
        region: "Île-de-France".into(),
        country: "FR".into(),
        tier: String::new(),
        potential: "4".into(),
    };
    let partner = partners::create(&mut app.conn(), tid, &actor, &partner).unwrap();
    for (sku, name, price, points) in [
        ("STK-50", "Stick Fraîcheur 50 g", "12.90", "10"),
        ("ROL-50", "Roll-on Coton 50 ml", "9.90", "8"),
    ] {
        let input = ProductInput {
            sku: sku.into(),
            name: name.into(),
            category: "Deodorants".into(),
            unit_price: price.into(),
            points_per_unit: points.into(),
        };
        products::create(&mut app.conn(), tid, &actor, &input).unwrap();
    }
    let lea = app.create_user(
        &tenant,
        relais::domain::Role::Participant,
        "lea@shop.example",
        "Léa",
    );
    app.join_partner(tid, lea.user_id(), partner.id);
    let photo = std::env::temp_dir().join(format!("relais-receipt-{}.png", std::process::id()));
    let img = image::RgbImage::from_fn(1200, 900, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
    });
    img.save(&photo).unwrap();

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    log_in(d, &app, "lea@shop.example", "/").await;
    d.find(By::Css("[data-testid=declare-tile]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Id("invoice_ref"))
        .await
        .unwrap()
        .send_keys("T-2026-118")
        .await
        .unwrap();
    for (i, (sku, qty)) in [("STK-50", "3"), ("ROL-50", "2")].iter().enumerate() {
        let n = i + 1;
        d.find(By::Id(format!("line-{n}-product")))
            .await
            .unwrap()
            .send_keys(*sku)
            .await
            .unwrap();
        d.find(By::Id(format!("line-{n}-quantity")))
            .await
            .unwrap()
            .send_keys(*qty)
            .await
            .unwrap();
    }
    // The points follow typing (the server computes them; no reload). Each refresh
    // replaces the preview's element, so the query waits for a displayed one and keeps
    // no reference to it (a later refresh would make it stale).
    d.query(By::Css("[data-testid=preview-points]"))
        .with_text("You will earn 46 points once approved.")
        .and_displayed()
        .first()
        .await
        .unwrap();
    d.find(By::Id("proofs"))
        .await
        .unwrap()
        .send_keys(photo.to_string_lossy())
        .await
        .unwrap();
    // The form as filled in (lines added by script, the live preview) passes axe too.
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());
    let overflow: bool = d
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(!overflow, "the form fits a phone's width");
    let submit = d
        .find(By::Css("[data-testid=declare-submit]"))
        .await
        .unwrap();
    submit.scroll_into_view().await.unwrap();
    submit.click().await.unwrap();
    let status = d.find(By::Css("[data-testid=status]")).await.unwrap();
    assert_eq!(status.text().await.unwrap(), "Pending review");
    let path = d.current_url().await.unwrap().path().to_string();
    assert!(path.starts_with("/declarations/"), "{path}");
    let thumb = d.find(By::Css("[data-testid=proofs] img")).await.unwrap();
    // The thumbnail loads after the page: wait for it (a loaded machine is slow).
    let mut loaded = false;
    for _ in 0..100 {
        loaded = d
            .execute(
                "return arguments[0].complete && arguments[0].naturalWidth > 0;",
                vec![thumb.to_json().unwrap()],
            )
            .await
            .unwrap()
            .convert()
            .unwrap();
        if loaded {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    assert!(loaded, "the photo's thumbnail is shown");
    log_out(d).await;

    log_in(d, &app, &admin.email, "/admin/declarations").await;
    d.find(By::Css("[data-testid=queue] tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=approve]"))
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
        "Declaration approved."
    );
    log_out(d).await;

    log_in(d, &app, "lea@shop.example", "/points").await;
    assert_eq!(
        d.find(By::Css("[data-testid=available]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "46"
    );
    assert!(
        d.source().await.unwrap().contains(&path),
        "the statement links the declaration"
    );
    browser.quit().await;

    let sink = SmtpSink::start().await;
    app.worker(sink.port)
        .run_due(chrono::Utc::now())
        .await
        .unwrap();
    let mail = sink
        .messages()
        .into_iter()
        .find(|m| m.to == vec!["lea@shop.example"] && !m.subject().contains("badge"))
        .expect("decision e-mail (her first approved sale also earns a badge)");
    assert_eq!(mail.subject(), "Acme: your sale is approved");
    assert!(mail.text().contains("T-2026-118"));
    assert!(mail.text().contains("46 points credited"));
    std::fs::remove_file(&photo).unwrap();
}

#[actix_web::test]
async fn an_admin_sets_the_time_zone_and_currency_and_sees_the_liability_in_money() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let admin = &demo::DEMO_USERS[0];
    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;

    d.goto(app.url("respire.localhost", "/login?next=/admin/settings"))
        .await
        .unwrap();
    common::browser::submit_login(d, admin.email, demo::DEMO_PASSWORD).await;
    let zone = d.find(By::Id("time_zone")).await.unwrap();
    assert_eq!(zone.value().await.unwrap().as_deref(), Some("Europe/Paris"));

    // A typo is refused next to the field, in French.
    zone.clear().await.unwrap();
    zone.send_keys("Asia/Jakart").await.unwrap();
    let submit = d
        .find(By::Css("form[action=\"/admin/settings\"] button"))
        .await
        .unwrap();
    submit.scroll_into_view().await.unwrap();
    submit.click().await.unwrap();
    let error = d
        .find(By::Css("[data-field=time_zone]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        error.starts_with("Ce fuseau horaire est inconnu"),
        "{error}"
    );

    let zone = d.find(By::Id("time_zone")).await.unwrap();
    zone.clear().await.unwrap();
    zone.send_keys("Asia/Jakarta").await.unwrap();
    d.find(By::Css("#currency option[value=IDR]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let value = d.find(By::Id("point_value")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("10").await.unwrap();
    let submit = d
        .find(By::Css("form[action=\"/admin/settings\"] button"))
        .await
        .unwrap();
    submit.scroll_into_view().await.unwrap();
    submit.click().await.unwrap();
    let flash = d
        .find(By::Css(".flash"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(flash, "Réglages régionaux enregistrés.");

    d.goto(app.url("respire.localhost", "/admin/points"))
        .await
        .unwrap();
    let liability = d
        .find(By::Css("[data-testid=liability-value]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(liability.ends_with("IDR"), "{liability}");
    assert!(
        !liability.contains(','),
        "no decimals in rupiah: {liability}"
    );
    let overflow: bool = d
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(!overflow, "the liability fits a phone's width");

    browser.quit().await;
}

#[actix_web::test]
async fn a_participant_fails_then_passes_a_quiz_and_sees_the_points_on_the_statement() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = demo::DEMO_USERS
        .iter()
        .find(|u| u.role == relais::domain::Role::Participant)
        .unwrap();
    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/login?next=/missions"))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    let quiz = d
        .find(By::XPath(
            "//section[@data-testid='todo']//a[contains(., 'Quiz')]",
        ))
        .await
        .unwrap();
    quiz.click().await.unwrap();

    let choose = |labels: &'static [&'static str]| async move {
        for l in labels {
            d.find(By::XPath(format!("//label[contains(., \"{l}\")]/input")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
        d.find(By::Css("[data-testid=submit-quiz]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    };
    d.find(By::Css("[data-testid=start-quiz]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    choose(&["12 heures", "Sels d'aluminium", "Spray"]).await;
    let failed = d.find(By::Css("[data-testid=failed]")).await.unwrap();
    assert_eq!(failed.text().await.unwrap(), "Non réussi");
    assert!(
        d.find_all(By::Css("[data-testid=corrections]"))
            .await
            .unwrap()
            .is_empty(),
        "no corrections while the quiz can be retried"
    );

    d.find(By::Css("[data-testid=start-quiz]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    choose(&["24 heures", "Pierre d'alun", "Bicarbonate", "Baume"]).await;
    d.find(By::Css("[data-testid=passed]")).await.unwrap();
    d.find(By::Css("[data-testid=corrections]")).await.unwrap();

    d.goto(app.url("respire.localhost", "/points"))
        .await
        .unwrap();
    let source = d.source().await.unwrap();
    assert!(
        source.contains("Quiz : la gamme Respire"),
        "the earn names the mission"
    );
    browser.quit().await;
}

fn demo_participant() -> &'static demo::DemoLogin {
    demo::DEMO_USERS
        .iter()
        .find(|u| u.role == relais::domain::Role::Participant)
        .unwrap()
}

#[actix_web::test]
async fn a_participant_sends_a_shelf_photo_from_a_phone_an_admin_approves_it_and_the_points_and_email_arrive(
) {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = demo_participant();
    let tenant = relais::db::tenants::find_by_slug(&mut app.conn(), "respire")
        .unwrap()
        .unwrap();
    let user = relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), lea.email)
        .unwrap()
        .unwrap();
    let before = relais::services::ledger::balance(
        &mut app.conn(),
        tenant.tenant_id(),
        user.user_id(),
        chrono::Utc::now(),
    )
    .unwrap();
    let photo = std::env::temp_dir().join(format!("relais-shelf-{}.jpg", std::process::id()));
    std::fs::write(
        &photo,
        include_bytes!("../../src/services/demo_data/shelf-example.jpg"),
    )
    .unwrap();

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/login?next=/missions"))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::XPath(
        "//section[@data-testid='todo']//a[contains(., 'Photo')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let input = d.find(By::Id("photo-1")).await.unwrap();
    assert_eq!(
        input.attr("capture").await.unwrap().as_deref(),
        Some("environment"),
        "the phone's camera opens"
    );
    input.send_keys(photo.display().to_string()).await.unwrap();
    d.find(By::Css("[data-testid=send-photos]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pending = d
        .find(By::Css("[data-testid=submissions] li[data-status=pending]"))
        .await
        .unwrap();
    assert!(pending.text().await.unwrap().contains("En attente"));
    let overflow = browser.overflow().await;
    assert!(overflow.is_empty(), "fits a phone: {overflow:?}");
    log_out(d).await;

    d.goto(app.url("respire.localhost", "/login?next=/admin/missions/reviews"))
        .await
        .unwrap();
    common::browser::submit_login(d, demo::DEMO_USERS[0].email, demo::DEMO_PASSWORD).await;
    d.find(By::XPath(
        "//li[contains(@class,'review-item')][contains(., 'Léa Martin')]//button[contains(@data-testid,'approve-')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    d.find(By::XPath("//*[contains(., 'Envoi validé')]"))
        .await
        .unwrap();

    let after = relais::services::ledger::balance(
        &mut app.conn(),
        tenant.tenant_id(),
        user.user_id(),
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(
        after.available.0 - before.available.0,
        200,
        "the mission's points"
    );
    let sink = common::smtp::SmtpSink::start().await;
    app.worker(sink.port)
        .run_due(chrono::Utc::now())
        .await
        .unwrap();
    let mails: Vec<_> = sink
        .messages()
        .into_iter()
        .filter(|m| m.header("To").contains(lea.email))
        .collect();
    assert_eq!(mails.len(), 1, "one e-mail to Léa");
    assert_eq!(mails[0].subject(), "Respire : vos photos sont validées");
    let _ = std::fs::remove_file(photo);
    browser.quit().await;
}

#[actix_web::test]
async fn a_participant_watches_a_video_and_it_completes_only_after_the_watch_time() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = demo_participant();
    let browser = Browser::start(1200, 900).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/login?next=/missions"))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::XPath(
        "//section[@data-testid='todo']//a[contains(., 'Vidéo')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    d.find(By::Css("[data-testid=player]")).await.unwrap();

    // Skipping to the end plays the last half-second: it is reported, and counts for
    // nothing.
    d.execute(
        "const v = document.getElementById('mission-video'); v.muted = true; \
         v.currentTime = 5.5; return v.play().then(() => true);",
        vec![],
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        d.find_all(By::Css("[data-testid=watched]"))
            .await
            .unwrap()
            .is_empty(),
        "skipping ahead completes nothing"
    );

    // Watching from the start completes it, once the time has passed.
    let started = std::time::Instant::now();
    d.execute(
        "const v = document.getElementById('mission-video'); v.currentTime = 0; \
         return v.play().then(() => true);",
        vec![],
    )
    .await
    .unwrap();
    let watched = d.find(By::Css("[data-testid=watched]")).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(3500),
        "not before the video had played ({waited:?})"
    );
    assert!(watched.is_displayed().await.unwrap());
    let seen = d
        .find(By::Css("[data-testid=seen-percent]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(seen, "100");
    let mission = d
        .find(By::Css("[data-testid=points]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mission.contains("80"));
    browser.quit().await;
}

#[actix_web::test]
async fn a_participant_sees_the_challenge_bar_move_after_an_approval_and_the_award_on_the_statement(
) {
    use relais::services::demo_challenges::SPRING;
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = demo_participant();
    let tenant = relais::db::tenants::find_by_slug(&mut app.conn(), "respire")
        .unwrap()
        .unwrap();
    let tid = tenant.tenant_id();
    let user = relais::db::users::find_by_email(&mut app.conn(), tid, lea.email)
        .unwrap()
        .unwrap();
    let spring = relais::db::challenges::list(&mut app.conn(), tid)
        .unwrap()
        .into_iter()
        .find(|c| c.title == SPRING)
        .unwrap();
    // Léa declares today what she still needs to reach her target (through the service:
    // the form has its own journey).
    let score = relais::db::challenges::scores::score_of(&mut app.conn(), tid, spring.id, user.id)
        .unwrap()
        .unwrap();
    let needed = (score.target.unwrap() - score.result).max(1);
    assert!(needed <= 50, "a line can carry it ({needed})");
    let input = relais::services::declarations::DeclarationInput {
        sale_date: tenant.zone().today(chrono::Utc::now()).to_string(),
        channel: "in_store".into(),
        invoice_ref: "FAC-CHALLENGE-1".into(),
        lines: vec![relais::services::declarations::LineInput {
            product: "RSP-STK-FRA-50".into(),
            quantity: needed.to_string(),
            unit_price: String::new(),
        }],
        ..Default::default()
    };
    let declared = relais::services::declarations::declare(
        &mut app.conn(),
        tid,
        &user,
        &input,
        vec![],
        chrono::Utc::now(),
    )
    .unwrap()
    .declaration;
    assert_eq!(declared.status, "submitted");
    // Her status tier's bonus compounds with the challenge's (issue #13).
    let tier = relais::db::tiers::multiplier_of(&mut app.conn(), tid, user.id)
        .unwrap()
        .map_or(1000, |(_, m)| i64::from(m));
    assert_eq!(
        declared.points,
        needed * 10 * 3 * tier / 2000,
        "sticks at 10 points, ×1.5 in the spring challenge, × her tier's bonus"
    );

    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    d.goto(app.url("respire.localhost", "/login?next=/challenges"))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::XPath(format!(
        "//section[@data-testid='active']//a[contains(., '{SPRING}')]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let result = |d: &WebDriver| {
        let d = d.clone();
        async move {
            d.find(By::Css("[data-testid=my-progress] [data-testid=result]"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let before = result(d).await;
    let own = d.find(By::Css("[data-testid=own-row]")).await.unwrap();
    assert!(
        own.text().await.unwrap().contains("Léa Martin"),
        "her row on the board"
    );
    d.find(By::Css("[data-testid=by-attainment]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=board][data-basis=attainment]"))
        .await
        .unwrap();
    let overflow = browser.overflow().await;
    assert!(overflow.is_empty(), "fits a phone: {overflow:?}");
    log_out(d).await;

    // The admin approves it.
    d.goto(app.url(
        "respire.localhost",
        &format!("/login?next=/admin/declarations/{}", declared.id),
    ))
    .await
    .unwrap();
    common::browser::submit_login(d, demo::DEMO_USERS[0].email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=status][data-status=approved]"))
        .await
        .unwrap();
    log_out(d).await;

    d.goto(app.url(
        "respire.localhost",
        &format!("/login?next=/challenges/{}", spring.id),
    ))
    .await
    .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    let after = result(d).await;
    let number = |s: &str| -> i64 {
        s.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    assert_eq!(
        number(&after),
        number(&before) + needed,
        "the bar moved: {before} → {after}"
    );
    let bar = d
        .find(By::Css("[data-testid=my-progress] [data-testid=progress]"))
        .await
        .unwrap();
    assert_eq!(
        bar.attr("value").await.unwrap().as_deref(),
        Some("100"),
        "target reached"
    );
    d.find(By::Css("[data-testid=own-row]")).await.unwrap();

    // The job closes and awards it once its time has come; the award is on her statement.
    let balance = |app: &common::TestApp| {
        relais::services::ledger::balance(&mut app.conn(), tid, user.user_id(), chrono::Utc::now())
            .unwrap()
            .available
            .0
    };
    let points_before = balance(&app);
    let later = spring.ends_at + chrono::Duration::days(8);
    let sink = common::smtp::SmtpSink::start().await;
    app.worker(sink.port).run_due(later).await.unwrap();
    let awarded = relais::db::challenges::find(&mut app.conn(), tid, spring.id).unwrap();
    assert_eq!(awarded.status, "awarded", "closed by the job");
    assert!(
        balance(&app) >= points_before + 300,
        "the 100 % tier reached her balance"
    );
    d.goto(app.url("respire.localhost", "/points"))
        .await
        .unwrap();
    let source = d.source().await.unwrap();
    assert!(
        source.contains(SPRING),
        "the award names the challenge on the statement"
    );
    assert!(
        sink.messages()
            .iter()
            .any(|m| m.header("To").contains(lea.email) && m.subject().contains("challenge")),
        "the results e-mail reached her"
    );
    browser.quit().await;
}

/// Léa (on a phone) orders the demo's Respire e-voucher and a bottle; Claire approves
/// both in the admin's queue; Léa sees her code on her order and in the e-mail; the
/// bottle is shipped with a tracking number, then delivered, and Léa sees each step.
#[actix_web::test]
async fn a_participant_redeems_an_e_voucher_and_a_bottle_an_admin_approves_ships_and_delivers() {
    let app = spawn_app().await;
    demo::seed(&mut app.conn(), &app.storage()).expect("seed demo");
    let lea = demo_participant();
    let tenant = relais::db::tenants::find_by_slug(&mut app.conn(), "respire")
        .unwrap()
        .unwrap();
    let tid = tenant.tenant_id();
    let user = relais::db::users::find_by_email(&mut app.conn(), tid, lea.email)
        .unwrap()
        .unwrap();
    // Enough for both, whatever the demo's history left her.
    relais::services::ledger::earn(
        &mut app.conn(),
        tid,
        user.id,
        relais::domain::Points(2000),
        &relais::services::ledger::Meta::new("journey-rewards", chrono::Utc::now()),
    )
    .unwrap();
    let reward_id = |code: &str| {
        relais::db::rewards::by_keys(&mut app.conn(), tid, &[code])
            .unwrap()
            .remove(code)
            .unwrap()
            .id
    };
    let (voucher, bottle) = (reward_id("BON-RESPIRE-10"), reward_id("GOURDE"));
    let sink = common::smtp::SmtpSink::start().await;
    let browser = Browser::start(390, 844).await;
    let d = &browser.driver;
    let host = "respire.localhost";

    // Léa finds the voucher in the catalog and orders it.
    d.goto(app.url(host, "/login?next=/rewards")).await.unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    d.find(By::Css(format!("a[href='/rewards/{voucher}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=redeem]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=order-status]")).await.unwrap();
    let voucher_order = d.current_url().await.unwrap().path().to_string();
    if !voucher_order.starts_with("/orders/") {
        let errors = d
            .find_all(By::Css(".field-error, .form-error, [role=alert]"))
            .await
            .unwrap();
        let mut texts = vec![];
        for e in errors {
            texts.push(e.text().await.unwrap());
        }
        panic!("not ordered ({voucher_order}): {texts:?}");
    }
    d.find(By::Css("[data-testid=cancel]")).await.unwrap();
    // And the bottle, delivered to her (the demo remembered an address for her or not:
    // the fields are filled either way).
    d.goto(app.url(host, &format!("/rewards/{bottle}")))
        .await
        .unwrap();
    for (field, value) in [
        ("address_name", "Léa Martin"),
        ("address_line1", "4 quai de la Fosse"),
        ("address_postcode", "44000"),
        ("address_city", "Nantes"),
        ("address_country", "France"),
    ] {
        let input = d.find(By::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    d.find(By::Css("[data-testid=redeem]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css("[data-testid=order-status]")).await.unwrap();
    let bottle_order = d.current_url().await.unwrap().path().to_string();
    assert!(bottle_order.starts_with("/orders/"), "{bottle_order}");
    assert!(browser.overflow().await.is_empty(), "fits a phone");
    log_out(d).await;

    // Claire approves both from the queue's order pages.
    d.goto(app.url(host, "/login?next=/admin/orders"))
        .await
        .unwrap();
    common::browser::submit_login(d, demo::DEMO_USERS[0].email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    for order in [&voucher_order, &bottle_order] {
        d.goto(app.url(host, &format!("/admin{order}")))
            .await
            .unwrap();
        let Ok(approve) = d.find(By::Css("[data-testid=approve]")).await else {
            let url = d.current_url().await.unwrap();
            let text = d.find(By::Css("main")).await.unwrap().text().await.unwrap();
            panic!("no approve button at {url}: {text}");
        };
        approve.click().await.unwrap();
        d.find(By::Css("[data-testid=status][data-status=approved]"))
            .await
            .unwrap();
    }
    // The bottle leaves with a tracking number.
    let line = d
        .find(By::Css("[data-testid=lines] li[data-status=processing]"))
        .await
        .unwrap()
        .attr("data-line")
        .await
        .unwrap()
        .unwrap();
    d.find(By::Id(format!("carrier-{line}")))
        .await
        .unwrap()
        .send_keys("Colissimo")
        .await
        .unwrap();
    d.find(By::Id(format!("tracking-number-{line}")))
        .await
        .unwrap()
        .send_keys("6A555000111")
        .await
        .unwrap();
    d.find(By::Css(format!("[data-testid=ship-{line}] button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css(format!("[data-testid=tracking-{line}]")))
        .await
        .unwrap();
    log_out(d).await;

    // Léa sees her code and the parcel on its way.
    d.goto(app.url(host, &format!("/login?next={voucher_order}")))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    let code = d
        .find(By::Css("[data-testid=codes] .voucher-code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(code.len(), 19, "a generated code: {code}");
    d.goto(app.url(host, &bottle_order)).await.unwrap();
    let tracking = d
        .find(By::Css("[data-testid=tracking]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tracking.contains("6A555000111"), "{tracking}");
    assert!(browser.overflow().await.is_empty(), "fits a phone");
    log_out(d).await;

    // Delivered: Claire says so; Léa's order shows the delivery.
    d.goto(app.url(host, &format!("/login?next=/admin{bottle_order}")))
        .await
        .unwrap();
    common::browser::submit_login(d, demo::DEMO_USERS[0].email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    d.find(By::Css(format!("[data-testid=deliver-{line}]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.find(By::Css(format!(
        "[data-testid=lines] li[data-line='{line}'][data-status=delivered]"
    )))
    .await
    .unwrap();
    log_out(d).await;
    d.goto(app.url(host, &format!("/login?next={bottle_order}")))
        .await
        .unwrap();
    common::browser::submit_login(d, lea.email, demo::DEMO_PASSWORD).await;
    d.find(By::Css("[data-testid=logout]")).await.unwrap();
    let tracking = d
        .find(By::Css("[data-testid=tracking]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tracking.contains("6A555000111"), "{tracking}");
    d.find(By::Css("[data-testid=lines] [data-status=delivered]"))
        .await
        .unwrap();

    // The e-mails reached her: the code, the shipment, the delivery.
    app.worker(sink.port)
        .run_due(chrono::Utc::now())
        .await
        .unwrap();
    let mails: Vec<_> = sink
        .messages()
        .into_iter()
        .filter(|m| m.header("To").contains(lea.email))
        .filter(|m| m.header("List-Unsubscribe").is_empty())
        .collect();
    assert_eq!(
        mails.len(),
        4,
        "approved ×2, shipped, delivered (the essential ones)"
    );
    assert!(
        mails.iter().any(|m| m.text().contains(&code)),
        "the code is in an e-mail"
    );
    assert!(mails.iter().any(|m| m.text().contains("6A555000111")));
    let verified = relais::services::ledger::verify(&mut app.conn(), Some(tid)).unwrap();
    assert!(verified.violations.is_empty());
    browser.quit().await;
}
