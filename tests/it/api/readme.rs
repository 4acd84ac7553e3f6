//! The README's curl commands, run as written (real `bash` and `curl`, the real
//! `relais` binary) against a spawned app with the demo data: the acceptance of the
//! integration API.

use diesel::prelude::*;
use relais::db::schema::{declarations, sell_in};

use crate::common::spawn_app;

/// The shell lines between the README's `api-example` markers, without the fence.
fn readme_example() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- api-example:start -->")
        .expect("start marker");
    let end = readme.find("<!-- api-example:end -->").expect("end marker");
    let block = &readme[start..end];
    let body = block.split("```sh\n").nth(1).expect("a sh block");
    body.split("```").next().unwrap().to_string()
}

#[actix_web::test]
async fn the_readme_uploads_sell_in_and_sell_out_for_the_demo_tenant_with_curl() {
    let app = spawn_app().await;
    relais::services::demo::seed(&mut app.conn(), &app.storage()).unwrap();
    let tenant = relais::db::tenants::find_by_slug(&mut app.conn(), "respire")
        .unwrap()
        .unwrap();
    let tid = tenant.tenant_id();
    let count_sell_in = || -> i64 {
        sell_in::table
            .filter(sell_in::tenant_id.eq(tid))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    let before = count_sell_in();

    let script = readme_example();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_relais"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = || {
        tokio::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PATH", &path)
            .env("RELAIS_ENV", "test")
            .env("DATABASE_URL", &app.database_url)
            .env("API", format!("http://127.0.0.1:{}/api/v1", app.port))
            .env("HOST", format!("{}:{}", app.host(&tenant), app.port))
            .output()
    };
    let out = run().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count_sell_in(), before + 2, "{stdout}");
    let from_api: Vec<(String, String)> = declarations::table
        .filter(declarations::tenant_id.eq(tid))
        .filter(declarations::source.eq("api"))
        .select((declarations::invoice_ref, declarations::status))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(from_api.len(), 1, "{stdout}");
    assert!(from_api[0].0.starts_with("API-"));
    // The listing printed it back.
    assert!(stdout.contains(&from_api[0].0), "{stdout}");

    // Run again (a new key, the same idempotency keys are per key): the import key of
    // the sell-in lines holds, and the second declaration of the invoice is flagged.
    let out = run().await.unwrap();
    assert!(out.status.success());
    assert_eq!(count_sell_in(), before + 2);
}
