//! Building and running the server: prepare the data directory, connect to and migrate the
//! database, optionally load the demo, bind, serve until SIGTERM or Ctrl-C, then let the
//! requests in flight finish.

use std::net::SocketAddr;
use std::path::Path;

use abierto_app::{operations, own_datasets, App, Clock};
use abierto_store::Store;
use abierto_web::{AppState, Branding, WebConfig};
use anyhow::{anyhow, Context};
use tokio::net::TcpListener;

use crate::config::{redact_url, Settings};
use crate::demo::{self, DemoData};

/// A bound, ready-to-run server. `port` is known before `run` (bind to port 0 in tests).
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    pub port: u16,
}

impl Application {
    pub async fn bind(
        addr: SocketAddr,
        app: App,
        config: WebConfig,
        branding: Branding,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("no se puede escuchar en {addr}"))?;
        let port = listener.local_addr()?.port();
        let state = AppState::new(app, config, branding);
        Ok(Application {
            listener,
            router: abierto_web::router(state.clone()),
            state,
            port,
        })
    }

    /// Serves until a shutdown signal; requests in flight are allowed to finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let app = self.state.app.clone();
        let housekeeping = tokio::spawn(housekeeping(app.clone()));
        let closing = tokio::spawn(close_calls(app.clone()));
        let own_records = tokio::spawn(own_datasets::keep_published(app.clone()));
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(stop)
            .await?;
        housekeeping.abort();
        closing.abort();
        own_records.abort();
        operations::close(&app).await;
        tracing::info!("servidor detenido");
        Ok(())
    }
}

/// Every quarter of an hour, deletes expired sessions and day-old failed sign-ins.
async fn housekeeping(app: App) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        every.tick().await;
        operations::housekeeping(&app).await;
    }
}

/// Every minute — and at once on start, so a call whose close passed while the server was
/// down is settled — closes the calls whose close has come. Safe with several instances: the
/// store settles each call with one conditional update.
async fn close_calls(app: App) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match abierto_app::participation::call_admin::close_due_calls(&app).await {
            Ok(settled) => {
                for (call, state) in settled {
                    tracing::info!(call = %call, estado = state.key(), "convocatoria cerrada");
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "no se pudieron cerrar las convocatorias vencidas")
            }
        }
    }
}

/// Creates the data directory if needed and proves it is writable.
pub fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("no se puede crear el directorio de datos {}", dir.display()))?;
    let probe = dir.join(".abierto-escritura");
    std::fs::write(&probe, b"ok").with_context(|| {
        format!(
            "no se puede escribir en el directorio de datos {}",
            dir.display()
        )
    })?;
    std::fs::remove_file(&probe).ok();
    Ok(())
}

/// Connects to the configured database and applies pending migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url = settings.database_url();
    let shown = redact_url(&url);
    let store = Store::connect(&url)
        .await
        .map_err(|e| anyhow!("no se puede conectar a la base de datos {shown}: {e}"))?;
    store
        .migrate()
        .await
        .map_err(|e| anyhow!("no se pudieron aplicar las migraciones en {shown}: {e}"))?;
    tracing::info!(database = %shown, backend = store.backend().name(), "base de datos lista");
    Ok(store)
}

/// Loads León's demo data when the database is empty, with the open-data files kept where
/// `config` says. Returns whether it loaded.
pub async fn load_demo_if_empty(app: &App, store: &Store) -> anyhow::Result<bool> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    let data = DemoData::parse(demo::LEON)?;
    demo::load(app, &data)
        .await
        .context("no se pudo cargar la demostración")?;
    demo::load_data_files(app, &data)
        .await
        .context("no se pudieron cargar los datos abiertos de la demostración")?;
    Ok(true)
}

/// `abierto serve` and `abierto demo`.
pub async fn serve(settings: &Settings, with_demo: bool) -> anyhow::Result<()> {
    let addr = settings.socket_addr()?;
    let config = settings.web_config()?;
    prepare_data_dir(&settings.data_dir)?;
    let store = open_store(settings).await?;
    let app = App::new(store.clone(), settings.app_settings(), Clock::system())?;
    let loaded = if with_demo {
        load_demo_if_empty(&app, &store).await?
    } else {
        false
    };
    report_missing_files(&app).await?;
    let branding = settings.branding(operations::municipality(&app).await?.as_ref())?;
    let app = Application::bind(addr, app, config, branding).await?;
    let url = format!("http://{}:{}", addr.ip(), app.port);
    println!("abierto: sirviendo en {url}");
    if with_demo {
        print_demo_accounts(loaded)?;
    }
    app.run_until_stopped().await
}

/// Warns, on the console and in the log, of the files the records name that are not on
/// disk: a database restored without its files directory serves their records, but each
/// download would answer that the file is gone.
async fn report_missing_files(app: &App) -> anyhow::Result<()> {
    const SHOWN: usize = 20;
    let missing = operations::missing_stored_files(app).await?;
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "abierto: AVISO: faltan en disco {} archivos que los registros mencionan \
         (¿se restauró la base de datos sin su directorio de archivos?):",
        missing.len()
    );
    for (name, sha256) in missing.iter().take(SHOWN) {
        eprintln!("  {name} ({sha256})");
    }
    if missing.len() > SHOWN {
        eprintln!("  … y {} más", missing.len() - SHOWN);
    }
    tracing::warn!(missing = missing.len(), "stored files missing from disk");
    Ok(())
}

fn print_demo_accounts(loaded_now: bool) -> anyhow::Result<()> {
    let data = DemoData::parse(demo::LEON)?;
    if loaded_now {
        println!(
            "Se cargaron los datos de demostración de {}.",
            data.municipality.official_name
        );
    }
    println!("Cuentas de demostración (una por rol):");
    for account in &data.accounts {
        println!(
            "  {:<20} {:<30} contraseña: {}",
            account.role, account.email, account.password
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "no se pudo escuchar Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "no se pudo escuchar SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("señal de apagado recibida; terminando las solicitudes en curso");
}
