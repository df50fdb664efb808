//! Convocations by e-mail, through a real SMTP server: Python's standard-library `smtpd`
//! (Debian's python3), which prints every message it receives.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp, STAFF};

struct SmtpServer {
    child: Child,
    port: u16,
    received: Arc<Mutex<String>>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `python3 -m smtpd` on a free port and collects what it prints.
async fn smtp_server() -> Option<SmtpServer> {
    let port = free_port();
    let spawned = Command::new("python3")
        .args([
            "-W",
            "ignore",
            "-u",
            "-m",
            "smtpd",
            "-n",
            "-c",
            "DebuggingServer",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI must run the e-mail test: python3 with its smtpd module is needed ({err})"
                );
            }
            eprintln!("\n*** SKIPPED e-mail test: python3 could not start ({err}) ***\n");
            return None;
        }
    };
    let stdout = child.stdout.take().unwrap();
    let received = Arc::new(Mutex::new(String::new()));
    let sink = received.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    // Wait until it accepts connections.
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(SmtpServer {
                child,
                port,
                received,
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("python3 -m smtpd did not start listening on {port}");
}

async fn convened_session(app: &TestApp) -> i64 {
    let bodies = app.json("/api/v1/bodies").await;
    let body = bodies
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"].as_str().unwrap().ends_with("2022-2024"))
        .unwrap()["id"]
        .clone();
    app.login(STAFF).await;
    let response = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "ordinary", "held_on": "2024-12-20", "scheduled_time": "13:00",
                    "place": "Sala de juntas de Contraloría Municipal",
                    "agenda": [{"kind": "attendance_quorum", "title": "Lista de asistencia"},
                               {"kind": "closing", "title": "Cierre"}]}),
        )
        .await;
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A relay on `port`, on a day before the session these tests convene (20 December 2024).
fn smtp_config(port: u16) -> crate::helpers::Config {
    crate::helpers::Config::with_app(abierto_app::Settings {
        smtp_url: Some(abierto_app::SmtpUrl(format!("smtp://127.0.0.1:{port}"))),
        mail_from: "Gobierno Abierto León <gobierno.abierto@leon.example>".to_owned(),
        ..abierto_app::Settings::default()
    })
    .on_day(2024, 12, 2)
}

#[tokio::test]
async fn members_with_an_address_receive_the_convocation_with_its_invitation() {
    let Some(server) = smtp_server().await else {
        return;
    };
    let app = spawn_app_with(smtp_config(server.port)).await;
    let id = convened_session(&app).await;
    let response = app
        .post_value(&format!("/api/v1/sessions/{id}/convocation"), &json!({}))
        .await;
    assert_eq!(response.status(), 201);
    let sent: Value = response.json().await.unwrap();
    // Two members hold accounts in the demo: Alma Delia López Orozco and Luz Araceli Andrade.
    assert_eq!(sent, json!({"notices": 14, "emailed": 2}));

    let notices = app.json(&format!("/api/v1/notices?session={id}")).await;
    let statuses: Vec<(&str, &str)> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["recipient"].as_str().unwrap_or(""),
                n["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        statuses.contains(&("integrante@leon.example", "sent")),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("transparencia@leon.example", "sent")),
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|(_, s)| *s == "outbox").count(), 12);

    let mut received = String::new();
    for _ in 0..100 {
        received = server.received.lock().unwrap().clone();
        if received.matches("filename=\"convocatoria.ics\"").count() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        received.contains("To: integrante@leon.example"),
        "{received}"
    );
    assert!(received.contains("text/calendar"), "{received}");
    assert!(received.contains("Subject: "), "{received}");
    assert_eq!(
        received.matches("convocatoria.ics").count(),
        2,
        "{received}"
    );
}

#[tokio::test]
async fn a_relay_that_refuses_leaves_the_notice_failed_with_its_reason() {
    // Nothing listens on this port.
    let app = spawn_app_with(smtp_config(free_port())).await;
    let id = convened_session(&app).await;
    let response = app
        .post_value(&format!("/api/v1/sessions/{id}/convocation"), &json!({}))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>().await.unwrap()["emailed"], 0);
    let notices = app.json(&format!("/api/v1/notices?session={id}")).await;
    assert_eq!(
        notices
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["status"] == "failed")
            .count(),
        2
    );
}
