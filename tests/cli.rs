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

/// Runs `command` with `password` on its standard input, as an operator pipes it.
fn with_password(mut command: Command, password: &str) -> std::process::Output {
    let mut child = command
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

fn user_add(
    dir: &std::path::Path,
    url: &str,
    email: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    let mut command = abierto(dir);
    command.args([
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
    ]);
    with_password(command, password)
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

/// Starts `abierto` with `args` and returns it with the URL it printed first.
fn start(dir: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    let mut child = abierto(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .next()
        .unwrap()
        .unwrap()
        .strip_prefix("abierto: sirviendo en ")
        .expect("the URL line")
        .to_owned();
    // What it prints next (the demo's accounts) is read, so its writes never meet a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

fn stop(mut child: std::process::Child) -> String {
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` named by a SHA-256, as the platform keeps its files.
fn kept_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(kept_files(&path));
        } else if entry.file_name().len() == 64 {
            found.push(path);
        }
    }
    found
}

#[tokio::test]
async fn files_missing_from_disk_are_reported_at_start_up_and_answered_as_gone() {
    let db = fresh_database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = ["--addr", "127.0.0.1:0", "--database-url", db.url.as_str()];
    let (demo, url) = start(dir.path(), &[&["demo"], &args[..]].concat());
    let catalog: serde_json::Value = reqwest::get(format!("{url}/api/3/action/package_search"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let download = catalog["result"]["results"][0]["resources"][0]["url"]
        .as_str()
        .expect("a published resource")
        .to_owned();
    let path = download.split_once("/datos-abiertos").unwrap().1.to_owned();
    let quiet = stop(demo);
    assert!(!quiet.contains("faltan en disco"), "{quiet}");

    // The database restored without its files.
    let files = kept_files(dir.path());
    assert!(!files.is_empty());
    for file in &files {
        std::fs::remove_file(file).unwrap();
    }
    let (server, url) = start(dir.path(), &[&["serve"], &args[..]].concat());
    let gone = reqwest::get(format!("{url}/datos-abiertos{path}"))
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let page = gone.text().await.unwrap();
    assert!(
        page.contains("ya no se encuentra en el almacenamiento"),
        "{page}"
    );
    let warned = stop(server);
    assert!(warned.contains("AVISO: faltan en disco"), "{warned}");
    let named = files
        .iter()
        .filter(|f| warned.contains(f.file_name().unwrap().to_str().unwrap()))
        .count();
    assert!(
        named > 0,
        "the missing files are named by their hash: {warned}"
    );
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn validate_summarises_findings_in_spanish_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "visitas.csv",
        "folio,centro,visitas\n1,Las Joyas,12\n2,Piletas,doce\n2,Piletas,3\n\n".as_bytes(),
    );
    let schema = write(
        dir.path(),
        "schema.json",
        br#"{"fields": [{"name": "folio", "type": "integer"}, {"name": "centro"},
            {"name": "visitas", "type": "integer", "constraints": {"minimum": 0}}],
            "primaryKey": "folio"}"#,
    );
    let output = abierto(dir.path())
        .args(["validate", "visitas.csv", "--schema", "schema.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("NO VÁLIDO, 4 hallazgos"), "{text}");
    assert!(
        text.contains("Tipo de dato incorrecto (type-error): 1"),
        "{text}"
    );
    assert!(
        text.contains("columna 3 «visitas»: 1 — fila 3: «doce»"),
        "{text}"
    );
    assert!(text.contains("primary-key"), "{text}");
    assert!(text.contains("blank-row"), "{text}");
    let _ = (csv, schema);
}

#[test]
fn validate_json_is_frictionless_shaped_and_a_valid_file_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok.csv",
        b"folio,fecha\n1,2026-03-17\n2,2026-03-18\n",
    );
    let output = abierto(dir.path())
        .args(["validate", "ok.csv", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["tasks"][0]["stats"]["rows"], 2);
    assert_eq!(
        report["tasks"][0]["labels"],
        serde_json::json!(["folio", "fecha"])
    );

    write(dir.path(), "latin1.csv", b"folio,colonia\n1,Le\xf3n\n");
    let output = abierto(dir.path())
        .args(["validate", "latin1.csv", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["tasks"][0]["errors"][0]["type"], "encoding-error");
}

#[test]
fn validate_refuses_a_schema_it_cannot_use_with_exit_code_two() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.csv", b"a\n1\n");
    for (schema, words) in [
        ("{no es json", "no es JSON válido"),
        (
            r#"{"fields": [{"name": "a", "type": "entero"}]}"#,
            "tipo desconocido",
        ),
        (
            r#"{"fields": [{"name": "a", "type": "entero"}]}"#,
            "(«a»: «entero»)",
        ),
    ] {
        write(dir.path(), "s.json", schema.as_bytes());
        let output = abierto(dir.path())
            .args(["validate", "a.csv", "--schema", "s.json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{schema}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(words), "{stderr}");
    }
    let output = abierto(dir.path())
        .args(["validate", "missing.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// `abierto init` with `password` on standard input.
fn init(dir: &std::path::Path, url: &str, email: &str, password: &str) -> std::process::Output {
    let mut command = abierto(dir);
    command
        .args(["init", "--email", email, "--name", "Primera Administradora"])
        .args(["--database-url", url]);
    with_password(command, password)
}

#[tokio::test]
async fn a_new_installation_says_how_to_start_and_init_creates_its_first_administrator() {
    let db = fresh_database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = ["--addr", "127.0.0.1:0", "--database-url", db.url.as_str()];
    // Before any account: the site says what to run on the server, in place of its home.
    let (server, url) = start(dir.path(), &[&["serve"], &args[..]].concat());
    let home = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(home.contains("falta la cuenta de administración"), "{home}");
    assert!(home.contains("abierto init --email"), "{home}");

    let made = init(
        dir.path(),
        &db.url,
        "admin@municipio.example",
        "una-contraseña-larga",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let told = String::from_utf8_lossy(&made.stdout);
    assert!(
        told.contains("cuenta admin@municipio.example creada (administrator"),
        "{told}"
    );
    assert!(told.contains("Siguiente paso"), "{told}");
    // The running site now has its administrator: its home is the usual one.
    let home = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(
        !home.contains("falta la cuenta de administración"),
        "{home}"
    );
    stop(server);

    let again = init(
        dir.path(),
        &db.url,
        "otra@municipio.example",
        "una-contraseña-larga",
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("ya tiene una cuenta de administración")
    );
    let store = abierto_store::Store::connect(&db.url).await.unwrap();
    assert_eq!(store.users().await.unwrap().len(), 1, "no second account");
}
