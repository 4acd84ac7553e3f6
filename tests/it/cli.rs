//! The `relais` binary: start-up failures are one clear line, commands do what they say.

use crate::common;

use std::process::{Command, Output};

use diesel::prelude::*;

fn relais(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_relais"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL")
        .env("RELAIS_ENV", "test");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run relais")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn assert_one_line_failure(out: &Output, expected: &str) {
    assert!(!out.status.success());
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "one line, got: {err}");
    assert!(
        err.contains(expected),
        "{err:?} should contain {expected:?}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn an_unreachable_database_is_one_line_and_a_failure_exit() {
    let out = relais(
        &["migrate"],
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nothing")],
    );
    assert_one_line_failure(&out, "relais: cannot connect to the database");
}

#[test]
fn malformed_configuration_is_one_line_and_a_failure_exit() {
    let out = relais(
        &["migrate"],
        &[
            ("RELAIS__SERVER__PORT", "not-a-port"),
            ("DATABASE_URL", "postgres://x@127.0.0.1:1/x"),
        ],
    );
    assert_one_line_failure(&out, "relais: configuration error");

    let dir = std::env::temp_dir().join(format!("relais-badconf-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(dir.join("config/default.toml"), "[server\nport = = 1").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_relais"))
        .arg("migrate")
        .current_dir(&dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_one_line_failure(&out, "relais: configuration error");
}

#[test]
fn production_refuses_the_default_secret_key() {
    let out = relais(
        &["migrate"],
        &[
            ("RELAIS_ENV", "production"),
            ("DATABASE_URL", "postgres://x@127.0.0.1:1/x"),
        ],
    );
    assert_one_line_failure(&out, "production refuses the default security.secret_key");
}

#[test]
fn serve_refuses_to_start_with_pending_migrations() {
    let admin = std::env::var("RELAIS_TEST_DATABASE_URL").expect("run with scripts/test");
    let name = format!("relais_cli_empty_{}", std::process::id());
    let mut conn = PgConnection::establish(&admin).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);

    let out = relais(&["serve"], &[("DATABASE_URL", &url)]);
    assert_one_line_failure(&out, "run `relais migrate` first");

    let out = relais(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Applied"));
    let again = relais(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(stdout(&again).contains("up to date"));
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .unwrap();
}

#[test]
fn create_tenant_create_user_and_seed_demo() {
    let (_db, url) = common::fresh_database();
    let env = [("DATABASE_URL", url.as_str())];

    let out = relais(
        &[
            "create-tenant",
            "--slug",
            "nova",
            "--name",
            "Nova",
            "--domain",
            "club.nova.example",
            "--admin-email",
            "Boss@Nova.example",
            "--admin-name",
            "Boss",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("boss@nova.example (password: "),
        "a generated password is printed once"
    );

    let out = relais(
        &[
            "create-tenant",
            "--slug",
            "nova",
            "--name",
            "Again",
            "--admin-email",
            "a@b.example",
            "--admin-name",
            "A",
        ],
        &env,
    );
    assert_one_line_failure(&out, "slug: This identifier is already taken.");

    let out = relais(
        &[
            "create-user",
            "--tenant",
            "nova",
            "--email",
            "p@nova.example",
            "--name",
            "Pat",
            "--role",
            "participant",
            "--password",
            "long-enough-pw",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = relais(
        &[
            "create-user",
            "--tenant",
            "nova",
            "--email",
            "bad",
            "--name",
            "X",
            "--role",
            "participant",
        ],
        &env,
    );
    assert_one_line_failure(&out, "email: Enter a valid email address.");
    let out = relais(
        &[
            "create-user",
            "--tenant",
            "nope",
            "--email",
            "a@b.example",
            "--name",
            "X",
        ],
        &env,
    );
    assert_one_line_failure(&out, "no tenant with slug");

    let first = relais(&["seed-demo"], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("respire.localhost"));
    assert!(stdout(&first).contains("claire.admin@respire.example"));
    let second = relais(&["seed-demo"], &env);
    assert!(
        stdout(&second).contains("(0 user(s) created)"),
        "{}",
        stdout(&second)
    );
    // The demo's flows (points, sales, challenges, orders in every state) verify.
    let verified = relais(&["ledger", "verify"], &env);
    assert!(verified.status.success(), "{}", stdout(&verified));
    assert!(stdout(&verified).contains("every invariant holds"));
}

#[test]
fn create_tenant_takes_a_time_zone_and_a_currency_and_refuses_unknown_ones() {
    let (_db, url) = common::fresh_database();
    let env = [("DATABASE_URL", url.as_str())];
    let create = |slug: &str, zone: &str, currency: &str| {
        relais(
            &[
                "create-tenant",
                "--slug",
                slug,
                "--name",
                "Sinar",
                "--time-zone",
                zone,
                "--currency",
                currency,
                "--point-value",
                "10",
                "--admin-email",
                &format!("boss@{slug}.example"),
                "--admin-name",
                "Boss",
            ],
            &env,
        )
    };
    let out = create("sinar", "Asia/Jakarta", "IDR");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut conn = PgConnection::establish(&url).unwrap();
    let tenant = relais::db::tenants::find_by_slug(&mut conn, "sinar")
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            tenant.time_zone.as_str(),
            tenant.currency.as_str(),
            tenant.point_value_minor
        ),
        ("Asia/Jakarta", "IDR", 10)
    );

    let out = create("mars", "Mars/Olympus", "EUR");
    assert_one_line_failure(&out, "time_zone: This time zone is unknown");
    let out = create("mars", "Europe/Paris", "XYZ");
    assert_one_line_failure(&out, "currency: Choose a currency from the list.");
    assert!(relais::db::tenants::find_by_slug(&mut conn, "mars")
        .unwrap()
        .is_none());
}
