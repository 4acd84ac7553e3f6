//! The `mission.completed` and `challenge.awarded` events against real HTTP receivers:
//! sent by the job queue, signed with each endpoint's secret, with ids and points only,
//! each to the endpoint subscribed to it, never to another tenant's.

use chrono::{Duration, Utc};

use crate::api::progress::{
    answer_survey, award, challenge, loose_rules, mission, sale, user_by_email,
};
use crate::api::support::brand;
use crate::common::smtp::SmtpSink;
use crate::common::spawn_app;
use crate::webhooks::{assert_signed, endpoint, run_jobs, secret_of, Receiver};

fn body(r: &crate::webhooks::Received) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap()
}

#[actix_web::test]
async fn a_completed_mission_and_an_awarded_challenge_reach_their_endpoints_signed() {
    let app = spawn_app().await;
    let b = brand(&app, "acme");
    let other = brand(&app, "globex");
    let lea = user_by_email(&app, &b.tenant, "lea@acme.example");
    let crm = Receiver::start(&[]).await;
    let erp = Receiver::start(&[]).await;
    let foreign = Receiver::start(&[]).await;
    let crm_endpoint = endpoint(&app, &b.tenant, &crm.url, &["mission.completed"]);
    let erp_endpoint = endpoint(&app, &b.tenant, &erp.url, &["challenge.awarded"]);
    endpoint(
        &app,
        &other.tenant,
        &foreign.url,
        &["mission.completed", "challenge.awarded"],
    );

    loose_rules(&app, &b.tenant);
    let ch = challenge(&app, &b.tenant);
    sale(&app, &b.tenant, &lea, "F-1", 12);
    let survey = mission(&app, &b.tenant, "survey", "Your shop", false);
    answer_survey(&app, &b.tenant, &lea, survey);
    award(&app, &b.tenant, ch);
    assert!(crm.received().is_empty(), "nothing sent inside the request");

    let sink = SmtpSink::start().await;
    let worker = app.worker(sink.port);
    // The award was given at the challenge's award instant, a month ahead: its
    // delivery is due then (the signature's timestamp is the sending's own).
    let later = Utc::now() + Duration::days(31);
    run_jobs(&worker, later).await;

    let got = crm.received();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_signed(&got[0], &secret_of(&app, &crm_endpoint));
    let event = body(&got[0]);
    assert_eq!(event["type"], "mission.completed");
    let data = &event["data"];
    assert_eq!(data["mission_id"], survey.0);
    assert_eq!(data["mission_kind"], "survey");
    assert_eq!(data["participant_id"], lea.id.0);
    assert_eq!(data["points"], 30);
    assert!(data["completion_id"].as_i64().is_some());
    assert!(!got[0].body.contains("lea@"), "no e-mail address");

    let got = erp.received();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_signed(&got[0], &secret_of(&app, &erp_endpoint));
    let event = body(&got[0]);
    assert_eq!(event["type"], "challenge.awarded");
    let data = &event["data"];
    assert_eq!(data["challenge_id"], ch.0);
    assert_eq!(data["participant_id"], lea.id.0);
    assert_eq!(
        (
            data["rank"].as_i64(),
            data["result"].as_i64(),
            data["target"].as_i64(),
            data["tier_percent"].as_i64(),
            data["points"].as_i64()
        ),
        (Some(1), Some(12), Some(10), Some(120), Some(650))
    );
    assert!(!got[0].body.contains("lea@"), "no e-mail address");
    // A signature made with another endpoint's secret does not verify.
    let wrong = secret_of(&app, &crm_endpoint);
    let (t, v1) = {
        let h = &got[0].headers["relais-signature"];
        let t: i64 = h
            .split(',')
            .find_map(|p| p.strip_prefix("t="))
            .unwrap()
            .parse()
            .unwrap();
        let v1 = h
            .split(',')
            .find_map(|p| p.strip_prefix("v1="))
            .unwrap()
            .to_string();
        (t, v1)
    };
    assert_ne!(
        relais::domain::webhooks::signature(&wrong, t, &got[0].body),
        v1
    );

    assert!(
        foreign.received().is_empty(),
        "another tenant's endpoint gets nothing"
    );
    // Sent once: running the queue again sends nothing more.
    run_jobs(&worker, later).await;
    assert_eq!((crm.received().len(), erp.received().len()), (1, 1));
}
