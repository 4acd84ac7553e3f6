//! News: who sees a post (segments, publication and end days in the tenant's zone,
//! never another tenant's), the studio's form refusing bad input next to its field, and
//! a title with markup shown as text.

use chrono::{Duration, Utc};
use relais::db::tenants::Tenant;
use relais::db::users::User;
use relais::domain::ids::NewsPostId;
use relais::domain::news::NewsInput;
use relais::domain::{Role, Zone};
use relais::services::audit::Actor;
use relais::services::news::studio::{self, ImageChange, Submitted};
use relais::services::news::{self, NewsCard};
use relais::services::segments::{self, SegmentInput};

use crate::common::{spawn_app, TestApp, TestClient, PASSWORD, PNG_1X1};

fn day(offset: i64) -> String {
    (Zone::UTC.today(Utc::now()) + Duration::days(offset)).to_string()
}

fn post(
    app: &TestApp,
    tenant: &Tenant,
    title: &str,
    from: i64,
    segment: Option<i64>,
) -> NewsPostId {
    let input = NewsInput {
        title: title.into(),
        body: format!("About {title}.\n\nMore."),
        publish_on: day(from),
        end_on: String::new(),
    };
    let segments: Vec<String> = segment.map(|s| s.to_string()).into_iter().collect();
    let submitted = Submitted {
        input: &input,
        segments: &segments,
        image: ImageChange::Keep,
    };
    let actor = Actor::system("test");
    studio::save(
        &mut app.conn(),
        tenant.tenant_id(),
        &actor,
        None,
        submitted,
        Utc::now(),
    )
    .unwrap()
    .0
    .id
}

/// A participant of partner `code`, signed in.
async fn participant(
    app: &TestApp,
    tenant: &Tenant,
    code: &str,
    email: &str,
) -> (User, TestClient) {
    let partner = app.create_partner(tenant, code);
    let user = app.create_user(tenant, Role::Participant, email, "Someone");
    let user = app.join_partner(tenant.tenant_id(), user.id, partner.id);
    let client = app.client(&app.host(tenant));
    assert_eq!(client.login(email, PASSWORD).await.status, 303);
    (user, client)
}

fn titles(cards: &[NewsCard]) -> Vec<&str> {
    cards.iter().map(|c| c.title.as_str()).collect()
}

#[actix_web::test]
async fn posts_reach_their_segments_from_their_day_and_stay_in_their_tenant() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let tid = tenant.tenant_id();
    let (lea, lea_client) = participant(&app, &tenant, "PH-1", "lea@acme.example").await;
    let (bob, bob_client) = participant(&app, &tenant, "PH-2", "bob@acme.example").await;
    let pilots = segments::create(
        &mut app.conn(),
        tid,
        &Actor::system("test"),
        &SegmentInput {
            name: "Pilots".into(),
            partner_codes: "PH-1".into(),
            ..SegmentInput::default()
        },
    )
    .unwrap();
    let everyone = post(&app, &tenant, "For everyone", -2, None);
    let for_pilots = post(&app, &tenant, "For pilots", -1, Some(pilots.id.into()));
    let scheduled = post(&app, &tenant, "Next week", 7, None);

    let now = Utc::now();
    let seen = news::for_participant(&mut app.conn(), tid, &lea, now, 10).unwrap();
    assert_eq!(titles(&seen), ["For pilots", "For everyone"]);
    let seen = news::for_participant(&mut app.conn(), tid, &bob, now, 10).unwrap();
    assert_eq!(titles(&seen), ["For everyone"]);
    let later = now + Duration::days(8);
    let seen = news::for_participant(&mut app.conn(), tid, &bob, later, 10).unwrap();
    assert_eq!(titles(&seen), ["Next week", "For everyone"]);
    let seen = news::for_participant(&mut app.conn(), tid, &lea, now, 1).unwrap();
    assert_eq!(titles(&seen), ["For pilots"], "at most `limit`");

    let page = lea_client.get("/news").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("For pilots") && !page.body.contains("Next week"));
    assert_eq!(
        lea_client.get(&format!("/news/{for_pilots}")).await.status,
        200
    );
    assert_eq!(
        lea_client.get(&format!("/news/{scheduled}")).await.status,
        404
    );
    assert_eq!(
        bob_client.get(&format!("/news/{for_pilots}")).await.status,
        404
    );
    assert_eq!(
        bob_client.get(&format!("/news/{everyone}")).await.status,
        200
    );
    let page = bob_client.get("/news").await;
    assert!(!page.body.contains("For pilots"));

    // Another tenant's post: not found, and never listed.
    let (other, _) = app.create_tenant("globex", "Globex");
    let theirs = post(&app, &other, "Globex only", -1, None);
    assert_eq!(lea_client.get(&format!("/news/{theirs}")).await.status, 404);
    assert_eq!(
        lea_client
            .get(&format!("/news/{theirs}/image"))
            .await
            .status,
        404
    );
    assert!(!lea_client.get("/news").await.body.contains("Globex only"));
}

fn news_form<'a>(title: &'a str, body: &'a str, publish_on: &'a str) -> Vec<(&'a str, String)> {
    vec![
        ("title", title.to_string()),
        ("body", body.to_string()),
        ("publish_on", publish_on.to_string()),
        ("end_on", String::new()),
    ]
}

/// Fields, an image, and the field its error is next to.
type Case<'a> = (Vec<(&'a str, String)>, Option<&'a [u8]>, &'a str);

async fn send(
    client: &TestClient,
    path: &str,
    fields: Vec<(&str, String)>,
    image: Option<&[u8]>,
) -> crate::common::Page {
    let mut form = client.multipart_form().await;
    for (k, v) in fields {
        form = form.text(k.to_string(), v);
    }
    if let Some(bytes) = image {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("picture.png");
        form = form.part("image", part);
    }
    client.post_multipart(path, form).await
}

#[actix_web::test]
async fn the_studio_form_refuses_bad_input_next_to_its_field() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let marketer = app.create_user(&tenant, Role::Marketer, "mark@acme.example", "Mark");
    let client = app.client(&app.host(&tenant));
    client.login(&marketer.email, PASSWORD).await;
    assert_eq!(client.get("/studio/news").await.status, 200);
    assert_eq!(client.get("/studio/news/new").await.status, 200);
    let today = day(0);
    let long = "t".repeat(121);
    let cases: Vec<Case> = vec![
        (news_form("", "Text", &today), None, "title"),
        (news_form(&long, "Text", &today), None, "title"),
        (news_form("Title\u{1b}", "Text", &today), None, "title"),
        (news_form("Title", "", &today), None, "body"),
        (news_form("Title", "Text", "tomorrow"), None, "publish_on"),
        (news_form("Title", "Text", ""), None, "publish_on"),
        (
            news_form("Title", "Text", &today),
            Some(b"not an image at all"),
            "image",
        ),
        (
            {
                let mut f = news_form("Title", "Text", &today);
                f.push(("segments", "999999".into()));
                f
            },
            None,
            "segments",
        ),
    ];
    for (fields, image, field) in cases {
        let page = send(&client, "/studio/news", fields, image).await;
        assert_eq!(page.status, 422, "{field}: {}", page.body);
        assert!(
            page.body.contains(&format!("data-field=\"{field}\"")),
            "{field}: {}",
            page.body
        );
    }
    let page = send(
        &client,
        "/studio/news",
        news_form("Spring range", "New.\n\nIn stores now.", &today),
        Some(PNG_1X1),
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.unwrap();
    let id = location.rsplit('/').next().unwrap().to_string();
    assert_eq!(client.get(&location).await.status, 200);
    let res = client
        .http
        .get(format!("{}/news/{id}/image", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    // Edited: a refusal keeps what was typed.
    let page = send(&client, &location, news_form("", "Changed", &today), None).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Changed"));

    // A participant may not write news.
    let (_, participant) = participant(&app, &tenant, "PH-1", "lea@acme.example").await;
    assert_eq!(participant.get("/studio/news").await.status, 403);
    // Another tenant's marketer: not found.
    let (other, other_admin) = app.create_tenant("globex", "Globex");
    let oc = app.client(&app.host(&other));
    oc.login(&other_admin.email, PASSWORD).await;
    assert_eq!(oc.get(&location).await.status, 404);
}

#[actix_web::test]
async fn a_title_with_markup_is_shown_as_text() {
    let app = spawn_app().await;
    let (tenant, _) = app.create_tenant("acme", "Acme");
    let (_, client) = participant(&app, &tenant, "PH-1", "lea@acme.example").await;
    let id = post(
        &app,
        &tenant,
        "<script>alert(1)</script><b>Big</b>",
        -1,
        None,
    );
    for path in ["/news".to_string(), format!("/news/{id}")] {
        let page = client.get(&path).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("<script>alert(1)"), "{path}");
        assert!(!page.body.contains("<b>Big"), "{path}");
        assert!(page.body.contains("&lt;script&gt;"), "{path}");
    }
}
