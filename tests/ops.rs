//! Health and readiness probes.

mod common;

use common::spawn_app;

#[actix_web::test]
async fn healthz_and_readyz_answer_on_any_host() {
    let app = spawn_app().await;
    let client = app.client("probe.internal");
    let health = client.get("/healthz").await;
    assert_eq!(health.status, 200);
    assert!(health.body.contains("\"ok\""));
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert!(ready.body.contains("\"ready\""));
}

#[actix_web::test]
async fn readyz_reports_a_database_that_went_away() {
    let app = spawn_app().await;
    {
        use diesel::prelude::*;
        let admin = std::env::var("RELAIS_TEST_DATABASE_URL").unwrap();
        let mut conn = PgConnection::establish(&admin).unwrap();
        diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db_name))
            .execute(&mut conn)
            .unwrap();
    }
    let ready = app.client("x").get("/readyz").await;
    assert_eq!(ready.status, 503);
    assert!(ready.body.contains("database_unavailable"));
}

#[actix_web::test]
async fn responses_carry_a_request_id_in_the_logs_and_security_headers() {
    let app = spawn_app().await;
    let res = app
        .client("x")
        .http
        .get(app.url("x", "/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
}
