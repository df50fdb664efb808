//! Schemathesis, the property-based tester of OpenAPI documents, against the live server:
//! every operation of `/api/v1/openapi.json` called with generated requests, valid and not,
//! anonymously and signed in as the secretariat, and every check it has (no 5xx, only
//! documented status codes and content types, bodies that match their schemas, invalid data
//! refused, valid data accepted). The number of examples is bounded so the suite stays
//! within its time; the seed is fixed so a failure reproduces.

use std::path::PathBuf;

use crate::ckan::test_python;
use crate::helpers::{spawn_app, STAFF};

/// The `schemathesis` command beside the test python (scripts/test installs it there).
fn schemathesis(python: &std::ffi::OsStr) -> PathBuf {
    PathBuf::from(python).with_file_name("schemathesis")
}

/// Runs every check over every operation; signed in when `session` is a session token, given
/// through the document's own `session` security scheme (so Schemathesis can also leave it out).
async fn run(command: &std::path::Path, schema: &str, session: Option<&str>) -> (bool, String) {
    let shared = include_str!("../schemathesis.toml");
    let config = match session {
        Some(token) => format!("{shared}\n[auth.openapi.session]\napi_key = \"{token}\"\n"),
        None => shared.to_owned(),
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schemathesis.toml");
    std::fs::write(&path, config).unwrap();
    // Run where its cache of crashes lands outside the repository.
    let output = tokio::process::Command::new(command)
        .current_dir(dir.path())
        .arg("--no-color")
        .arg("--config-file")
        .arg(&path)
        .args(["run", schema])
        .args([
            "--checks",
            "all",
            "--max-examples",
            "12",
            "--seed",
            "20261208",
        ])
        .args(["--phases", "examples,coverage,fuzzing", "--workers", "1"])
        .args(["--suppress-health-check", "all"])
        .env("SCHEMATHESIS_HOOKS", "")
        .output()
        .await
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), report)
}

#[tokio::test]
async fn the_openapi_document_tells_the_truth_under_schemathesis() {
    let Some(python) = test_python() else {
        return;
    };
    let command = schemathesis(&python);
    assert!(
        command.exists(),
        "scripts/test installs schemathesis beside {python:?}"
    );
    let app = spawn_app().await;
    let schema = app.url("/api/v1/openapi.json");

    let (passed, report) = run(&command, &schema, None).await;
    assert!(passed, "anonymously:\n{report}");

    let Ok(signed) = abierto_app::accounts::sign_in(&app.app, STAFF.0, STAFF.1, None)
        .await
        .unwrap()
    else {
        panic!("the secretariat signs in");
    };
    let (passed, report) = run(&command, &schema, Some(&signed.token)).await;
    assert!(passed, "signed in as the secretariat:\n{report}");
}
