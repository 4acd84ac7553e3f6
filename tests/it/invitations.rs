//! Invitation and password reset links: single use, expiring, tenant-bound.

use crate::common;

use chrono::{Duration, Utc};
use common::smtp::SmtpSink;
use common::{spawn_app, TestApp, PASSWORD};
use diesel::prelude::*;
use relais::db::schema::{auth_tokens, jobs};
use relais::db::tenants::Tenant;
use relais::domain::Role;
use relais::services::audit::Actor;
use relais::services::invitations::{self, InviteInput};

async fn invited_link(app: &TestApp, tenant: &Tenant, email: &str) -> (String, SmtpSink) {
    let input = InviteInput {
        email,
        display_name: "Nina",
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
    .unwrap();
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    let link = sink.messages().last().unwrap().link("/account/invitation/");
    let path = link
        .split_once(&format!(":{}", app.port))
        .unwrap()
        .1
        .to_string();
    (path, sink)
}

#[actix_web::test]
async fn an_invitation_link_sets_the_password_once() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let (path, _sink) = invited_link(&app, &tenant, "nina@shop.example").await;
    let client = app.client(&app.host(&tenant));

    let form = client.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Nina, choose the password"));

    let mismatch = client
        .post_form(
            &path,
            &[
                ("password", "a-long-password"),
                ("confirmation", "another-one!!"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, 422);
    assert_eq!(
        mismatch.texts("[data-field=confirmation]"),
        vec!["The two passwords are different."]
    );
    let short = client
        .post_form(&path, &[("password", "short"), ("confirmation", "short")])
        .await;
    assert_eq!(
        short.texts("[data-field=password]"),
        vec!["The password must have at least 10 characters."]
    );

    let ok = client
        .post_form(
            &path,
            &[
                ("password", "a-long-password"),
                ("confirmation", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/login"));
    assert_eq!(
        client
            .login("nina@shop.example", "a-long-password")
            .await
            .status,
        303
    );

    // The second use sets nothing and says why.
    let anon = app.client(&app.host(&tenant));
    let again = anon
        .post_form(
            &path,
            &[
                ("password", "hijacked-password"),
                ("confirmation", "hijacked-password"),
            ],
        )
        .await;
    assert_eq!(again.status, 410);
    assert_eq!(
        again.texts("[data-testid=link-problem]"),
        vec!["This link has already been used, or a newer one was sent."]
    );
    assert_eq!(
        anon.login("nina@shop.example", "hijacked-password")
            .await
            .status,
        422
    );
}

#[actix_web::test]
async fn an_expired_invitation_link_sets_nothing_and_offers_a_new_one() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let (path, _sink) = invited_link(&app, &tenant, "late@shop.example").await;
    diesel::update(auth_tokens::table)
        .set(auth_tokens::expires_at.eq(Utc::now() - Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    let client = app.client(&app.host(&tenant));
    let page = client.get(&path).await;
    assert_eq!(page.status, 410);
    assert_eq!(
        page.texts("[data-testid=link-problem]"),
        vec!["This link has expired."]
    );
    assert!(
        page.body.contains("href=\"/account/forgot\""),
        "a way to ask for a new link"
    );
    let post = client
        .post_form(
            &path,
            &[
                ("password", "a-long-password"),
                ("confirmation", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(post.status, 410);
    let hash: Option<String> = relais::db::schema::users::table
        .filter(relais::db::schema::users::email.eq("late@shop.example"))
        .select(relais::db::schema::users::password_hash)
        .first(&mut app.conn())
        .unwrap();
    assert!(hash.is_none());
}

#[actix_web::test]
async fn re_inviting_invalidates_the_older_link() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let (first, sink) = invited_link(&app, &tenant, "twice@shop.example").await;
    let user =
        relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), "twice@shop.example")
            .unwrap()
            .unwrap();
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, PASSWORD).await;
    assert_eq!(
        boss.post_form(&format!("/admin/users/{}/invitation", user.id), &[])
            .await
            .status,
        303
    );
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    assert_eq!(sink.messages().len(), 2);

    let client = app.client(&app.host(&tenant));
    assert_eq!(client.get(&first).await.status, 410);
    let second = sink.messages()[1].link("/account/invitation/");
    let second = second
        .split_once(&format!(":{}", app.port))
        .unwrap()
        .1
        .to_string();
    assert_eq!(client.get(&second).await.status, 200);
}

#[actix_web::test]
async fn a_link_of_tenant_a_does_not_work_on_tenant_b() {
    let app = spawn_app().await;
    let (a, _) = app.create_tenant("alpha", "Alpha");
    let (b, _) = app.create_tenant("beta", "Beta");
    let (path, _sink) = invited_link(&app, &a, "x@shop.example").await;
    let page = app.client(&app.host(&b)).get(&path).await;
    assert_eq!(page.status, 404);
    assert_eq!(
        page.texts("[data-testid=link-problem]"),
        vec!["This link is not valid. Check that you copied it whole."]
    );
}

#[actix_web::test]
async fn admins_invite_from_the_back_office_with_errors_next_to_fields() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, PASSWORD).await;

    let bad = boss
        .post_form(
            "/admin/users/new",
            &[
                ("email", "not-an-email"),
                ("display_name", ""),
                ("role", "participant"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.texts("[data-field=email]"),
        vec!["Enter a valid email address."]
    );
    assert_eq!(
        bad.texts("[data-field=display_name]"),
        vec!["This field is required."]
    );
    let taken = boss
        .post_form(
            "/admin/users/new",
            &[
                ("email", &admin.email.to_uppercase()),
                ("display_name", "Dup"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(
        taken.texts("[data-field=email]"),
        vec!["An account with this email already exists."]
    );
    let role = boss
        .post_form(
            "/admin/users/new",
            &[
                ("email", "r@shop.example"),
                ("display_name", "R"),
                ("role", "root"),
            ],
        )
        .await;
    assert_eq!(
        role.texts("[data-field=role]"),
        vec!["Choose one of the offered roles."]
    );
    let count: i64 = jobs::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0, "nothing queued for refused input");

    let ok = boss
        .post_form(
            "/admin/users/new",
            &[
                ("email", "mia@shop.example"),
                ("display_name", "Mia"),
                ("role", "marketer"),
                ("locale", "id"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    assert_eq!(
        sink.messages()[0].subject(),
        "Undangan Anda ke Acme",
        "the invitee's chosen language"
    );
    let log = boss.get("/admin/audit?action=user.invited").await;
    assert_eq!(log.texts("[data-testid=audit] tbody tr").len(), 1);
}

#[actix_web::test]
async fn forgot_password_says_the_same_for_any_address_and_is_rate_limited() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let client = app.client(&app.host(&tenant));
    let known = client
        .post_form("/account/forgot", &[("email", &admin.email)])
        .await;
    let unknown = client
        .post_form("/account/forgot", &[("email", "ghost@shop.example")])
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(
        known.texts("[data-testid=forgot-sent]"),
        unknown.texts("[data-testid=forgot-sent]")
    );
    for _ in 0..5 {
        client
            .post_form("/account/forgot", &[("email", &admin.email)])
            .await;
    }
    let sink = SmtpSink::start().await;
    app.worker(sink.port).run_due(Utc::now()).await.unwrap();
    assert_eq!(
        sink.messages().len(),
        3,
        "at most 3 reset e-mails an hour per account"
    );

    // The newest link resets the password; the old password stops working.
    let link = sink.messages()[2].link("/account/reset/");
    let path = link
        .split_once(&format!(":{}", app.port))
        .unwrap()
        .1
        .to_string();
    let res = client
        .post_form(
            &path,
            &[
                ("password", "brand-new-password"),
                ("confirmation", "brand-new-password"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/login"));
    assert_eq!(client.login(&admin.email, PASSWORD).await.status, 422);
    assert_eq!(
        client
            .login(&admin.email, "brand-new-password")
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn an_invited_participant_needs_an_active_partner() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    app.create_partner(&tenant, "PH-1");
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, PASSWORD).await;
    let fields = |code: &'static str| {
        vec![
            ("email", "p@shop.example"),
            ("display_name", "P"),
            ("role", "participant"),
            ("partner_code", code),
        ]
    };
    let missing = boss.post_form("/admin/users/new", &fields("")).await;
    assert_eq!(
        missing.texts("[data-field=partner_code]"),
        vec!["A participant needs the code of their partner."]
    );
    let unknown = boss.post_form("/admin/users/new", &fields("PH-404")).await;
    assert_eq!(
        unknown.texts("[data-field=partner_code]"),
        vec!["No active partner has this code."]
    );
    let ok = boss.post_form("/admin/users/new", &fields("ph-1")).await;
    assert_eq!(ok.status, 303);
    let user =
        relais::db::users::find_by_email(&mut app.conn(), tenant.tenant_id(), "p@shop.example")
            .unwrap()
            .unwrap();
    assert!(user.partner_id.is_some());
}

#[actix_web::test]
async fn an_admin_can_neither_demote_nor_disable_themselves_but_can_change_others() {
    let app = spawn_app().await;
    let (tenant, admin) = app.create_tenant("acme", "Acme");
    let other = app.create_user(
        &tenant,
        relais::domain::Role::Marketer,
        "m@acme.example",
        "Max",
    );
    let boss = app.client(&app.host(&tenant));
    boss.login(&admin.email, PASSWORD).await;
    let me = format!("/admin/users/{}", admin.id);
    let res = boss
        .post_form(&format!("{me}/role"), &[("role", "participant")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        boss.get(&me).await.texts(".flash"),
        vec!["You cannot change your own role."]
    );
    boss.post_form(&format!("{me}/access"), &[("disabled", "true")])
        .await;
    assert_eq!(
        boss.get(&me).await.texts(".flash"),
        vec!["You cannot disable your own account."]
    );
    let mine =
        relais::db::users::find(&mut app.conn(), tenant.tenant_id(), admin.user_id()).unwrap();
    assert_eq!((mine.role.as_str(), mine.disabled), ("admin", false));

    let theirs = format!("/admin/users/{}", other.id);
    boss.post_form(&format!("{theirs}/access"), &[("disabled", "true")])
        .await;
    assert_eq!(
        boss.get(&theirs).await.texts(".flash"),
        vec!["Account disabled."]
    );
}
