//! The `abierto` binary as an operator meets it: start-up failures, accounts from the command
//! line, and a clean stop on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use abierto_store::testing::fresh_database;

const BIN: &str = env!("CARGO_BIN_EXE_abierto");

fn abierto(dir: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("ABIERTO_DATABASE_URL")
        .env("NO_COLOR", "1");
    command
}

#[test]
fn an_unreachable_database_is_one_clear_line_with_the_password_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let output = abierto(dir.path())
        .args([
            "migrate",
            "--database-url",
            "postgres://abierto:secreto@127.0.0.1:1/abierto",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("abierto: error:"))
        .expect("an error line");
    assert!(
        line.contains(
            "no se puede conectar a la base de datos postgres://abierto:***@127.0.0.1:1/abierto"
        ),
        "{line}"
    );
    assert!(!stderr.contains("secreto"), "{stderr}");
}

#[test]
fn an_unusable_data_dir_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("un-archivo");
    std::fs::write(&file, "no soy un directorio").unwrap();
    let output = abierto(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(file.join("datos"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no se puede crear el directorio de datos"),
        "{stderr}"
    );
}

#[test]
fn a_bad_setting_in_the_environment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = abierto(dir.path())
        .args(["migrate"])
        .env("ABIERTO_SESSION_HOURS", "muchas")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("configuración no válida"));
}

fn user_add(
    dir: &std::path::Path,
    url: &str,
    email: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    let mut child = abierto(dir)
        .args([
            "user",
            "add",
            "--email",
            email,
            "--name",
            "Persona Operadora",
            "--role",
            role,
            "--database-url",
            url,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_refuses_bad_input() {
    let db = fresh_database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ok = user_add(
        dir.path(),
        &db.url,
        "operador@leon.example",
        "administrator",
        "una-contraseña-larga",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("cuenta operador@leon.example creada"));

    let again = user_add(
        dir.path(),
        &db.url,
        "operador@leon.example",
        "administrator",
        "una-contraseña-larga",
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("ya existe una cuenta"));

    let short = user_add(dir.path(), &db.url, "otra@leon.example", "member", "corta");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr)
        .contains("la contraseña debe tener entre 10 y 128 caracteres"));

    let role = user_add(
        dir.path(),
        &db.url,
        "otra@leon.example",
        "jefe",
        "una-contraseña-larga",
    );
    assert!(!role.status.success());
    assert!(String::from_utf8_lossy(&role.stderr).contains("el rol «jefe» no existe"));

    let store = abierto_store::Store::connect(&db.url).await.unwrap();
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    let entries = store.audit_entries(5).await.unwrap();
    assert_eq!(entries[0].action, "user.create");
}

#[tokio::test]
async fn serve_prints_its_url_and_stops_cleanly_on_sigterm() {
    let db = fresh_database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = abierto(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("abierto: sirviendo en ")
        .expect("the URL line")
        .to_owned();
    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}
