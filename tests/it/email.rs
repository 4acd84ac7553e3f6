//! The e-mail outbox on the job queue, through a real SMTP conversation.

use crate::common;

use chrono::{Duration, Utc};
use common::smtp::SmtpSink;
use common::{spawn_app, TestApp, PASSWORD};
use diesel::prelude::*;
use relais::db::schema::jobs;
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::invitations::{self, InviteInput};
use relais::services::jobs::{enqueue, Enqueue};

fn invite(
    app: &TestApp,
    tenant: &relais::db::tenants::Tenant,
    email: &str,
) -> relais::db::users::User {
    let input = InviteInput {
        email,
        display_name: "Zoé Invitée",
        role: Role::Participant,
        locale: None,
        partner_code: Some("PH-1"),
        form_token: "",
    };
    app.create_partner(tenant, "PH-1");
    invitations::invite_user(
        &mut app.conn(),
        tenant.tenant_id(),
        &Actor::system("test"),
        &input,
    )
    .unwrap()
}

fn job_states(app: &TestApp) -> Vec<(String, i32, Option<String>)> {
    jobs::table
        .select((jobs::status, jobs::attempts, jobs::last_error))
        .order(jobs::id)
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_invitation_is_sent_in_the_recipients_language_with_the_tenants_branding() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme Beauté");
    diesel::update(relais::db::schema::tenants::table)
        .set(relais::db::schema::tenants::default_locale.eq("fr"))
        .execute(&mut app.conn())
        .unwrap();
    invite(&app, &tenant, "zoe@shop.example");
    let sink = SmtpSink::start().await;

    let ran = app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    assert_eq!(ran, 1);
    let mail = &sink.messages()[0];
    assert_eq!(mail.to, vec!["zoe@shop.example"]);
    assert_eq!(mail.subject(), "Votre invitation au programme Acme Beauté");
    assert!(
        mail.header("From").starts_with("\"Acme Beauté\"")
            || mail.header("From").starts_with("Acme Beauté"),
        "{}",
        mail.header("From")
    );
    assert!(
        mail.text().contains("Bonjour Zoé Invitée,"),
        "{}",
        mail.text()
    );
    assert!(mail.text().contains("72 heures"));
    let id = mail.header("Message-ID");
    assert!(
        id.starts_with('<') && id.ends_with("@relais.localhost>"),
        "a Message-ID on the sender's domain: {id}"
    );
    assert!(mail
        .html()
        .contains("<title>Votre invitation au programme Acme Beaut"));
    assert!(
        mail.html().contains("background:#1f6f5c"),
        "tenant colour in the HTML part"
    );
    let link = mail.link("/account/invitation/");
    assert!(
        link.starts_with(&format!(
            "http://acme.localhost:{}/account/invitation/",
            app.port
        )),
        "{link}"
    );
    assert!(
        link.ends_with("?lang=fr"),
        "the pages open in French: {link}"
    );
    assert_eq!(job_states(&app), vec![("done".to_string(), 1, None)]);
}

#[actix_web::test]
async fn when_smtp_is_down_the_event_commits_and_the_email_goes_out_once_it_is_back() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let sink = SmtpSink::start().await;
    let stopped = sink.stop();
    let port = stopped.0;

    let user = invite(&app, &tenant, "late@shop.example");
    let worker = app.worker(port);
    worker.run_due(Utc::now()).await.unwrap();
    // The user exists, the e-mail waits with its error and a later retry time.
    assert!(relais::db::users::find(&mut app.conn(), tenant.tenant_id(), user.user_id()).is_ok());
    let states = job_states(&app);
    assert_eq!(states[0].0, "queued");
    assert_eq!(states[0].1, 1);
    assert!(
        states[0].2.as_deref().unwrap_or_default().contains("SMTP"),
        "{states:?}"
    );
    // Not due again right away (backoff).
    assert_eq!(worker.run_due(Utc::now()).await.unwrap(), 0);

    let sink = SmtpSink::restart(stopped).await;
    assert_eq!(sink.port, port);
    worker
        .run_due(Utc::now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(job_states(&app)[0].0, "done");
}

#[actix_web::test]
async fn after_the_last_attempt_the_email_is_failed_visible_to_admins_and_can_be_retried() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    invite(&app, &tenant, "never@shop.example");
    let dead_port = {
        let sink = SmtpSink::start().await;
        sink.stop().0
    };
    let worker = app.worker(dead_port);
    let mut now = Utc::now();
    for _ in 0..relais::services::jobs::DEFAULT_MAX_ATTEMPTS {
        worker.run_due(now).await.unwrap();
        now += Duration::hours(7);
    }
    assert_eq!(job_states(&app)[0].0, "failed");

    let client = app.client(&app.host(&tenant));
    client.login(&admin.email, PASSWORD).await;
    let page = client.get("/admin/emails?status=failed").await;
    assert_eq!(
        page.texts("[data-testid=emails] tbody td:nth-child(2)"),
        vec!["never@shop.example"]
    );
    assert!(page.texts("[data-testid=emails] tbody td:nth-child(6)")[0].contains("SMTP"));
    let id: i64 = jobs::table.select(jobs::id).first(&mut app.conn()).unwrap();
    let res = client
        .post_form(&format!("/admin/emails/{id}/retry"), &[])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(job_states(&app)[0].0, "queued");
    // The retry counts on from the attempts made and keeps every error seen.
    let max = relais::services::jobs::DEFAULT_MAX_ATTEMPTS;
    let (attempts, errors): (i32, serde_json::Value) = jobs::table
        .select((jobs::attempts, jobs::errors))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(attempts, max);
    assert_eq!(errors.as_array().unwrap().len() as i32, max);
    assert_eq!(errors[0]["attempt"], 1);
    assert!(errors[0]["error"].as_str().unwrap().contains("SMTP"));

    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    assert_eq!(sink.messages().len(), 1);
    let page = client.get("/admin/emails").await;
    assert_eq!(
        page.texts("[data-testid=emails] tbody td:nth-child(5)"),
        vec![(max + 1).to_string()],
        "the attempt that succeeded is counted after the failed ones"
    );
    let log = client.get("/admin/audit?action=email.retried").await;
    assert_eq!(log.texts("[data-testid=audit] tbody tr").len(), 1);
}

#[actix_web::test]
async fn two_workers_never_send_the_same_email() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    for i in 0..40 {
        invite(&app, &tenant, &format!("p{i}@shop.example"));
    }
    let sink = SmtpSink::start().await;
    let (a, b) = (app.worker(sink.port), app.worker(sink.port));
    let now = Utc::now();
    let (ran_a, ran_b) = tokio::join!(a.run_due(now), b.run_due(now));
    assert_eq!(ran_a.unwrap() + ran_b.unwrap(), 40);
    let mut recipients: Vec<String> = sink.messages().into_iter().flat_map(|m| m.to).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(sink.messages().len(), 40, "each e-mail sent exactly once");
    assert_eq!(recipients.len(), 40);
}

#[actix_web::test]
async fn a_scheduled_job_with_a_unique_key_is_queued_once() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let job = || Enqueue {
        kind: "noop",
        payload: serde_json::json!({}),
        unique_key: Some("daily:2026-11-23"),
        run_at: Utc::now(),
    };
    assert!(enqueue(&mut app.conn(), tenant.tenant_id(), job())
        .unwrap()
        .is_some());
    assert!(enqueue(&mut app.conn(), tenant.tenant_id(), job())
        .unwrap()
        .is_none());
    let (other, _) = app.create_tenant("other", "Other");
    assert!(
        enqueue(&mut app.conn(), other.tenant_id(), job())
            .unwrap()
            .is_some(),
        "keys are per tenant"
    );
}

#[actix_web::test]
async fn the_development_mail_page_does_not_exist_outside_development() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    client.login(&admin.email, PASSWORD).await;
    assert_eq!(client.get("/dev/mail").await.status, 404);
}

#[actix_web::test]
async fn the_development_mail_page_shows_an_admin_only_their_tenants_mail() {
    let dir = std::env::temp_dir().join(format!("relais-mail-{}", rand_suffix()));
    let file_dir = dir.to_string_lossy().into_owned();
    let app = common::spawn_app_with(|s| {
        s.environment = relais::config::Environment::Development;
        s.email.transport = relais::config::EmailTransport::File;
        s.email.file_dir = file_dir.clone();
    })
    .await;
    let (acme, acme_admin) = app.create_tenant("acme", "Acme");
    let (other, other_admin) = app.create_tenant("other", "Other");
    for (tenant, admin) in [(&acme, &acme_admin), (&other, &other_admin)] {
        invitations::request_password_reset(&mut app.conn(), tenant.tenant_id(), &admin.email)
            .unwrap();
    }
    app.worker(1).run_due(Utc::now()).await.unwrap();

    let client = app.client(&app.host(&acme));
    client.login(&acme_admin.email, PASSWORD).await;
    let page = client.get("/dev/mail").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("admin@acme.example"));
    assert!(
        !page.body.contains("admin@other.example"),
        "another tenant's reset link is not shown"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn rand_suffix() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    )
}
