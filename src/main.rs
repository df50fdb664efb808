//! `abierto`: the command line. Parses arguments and hands over to the library.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use abierto::config::{Overrides, Settings};
use abierto::{startup, telemetry, validate_command};
use abierto_app::accounts::{self, Unit};
use abierto_app::{Actor, App, Clock};
use abierto_domain::account::{DisplayName, Email, Password, Role};
use anyhow::{anyhow, Context};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "abierto",
    version,
    about = "Secretariado Técnico Municipal de Gobierno Abierto"
)]
struct Cli {
    /// Configuration file (TOML). Read if present.
    #[arg(long, global = true, default_value = "abierto.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct ServerFlags {
    /// Address to listen on.
    #[arg(long)]
    addr: Option<String>,
    /// Directory for the SQLite database and stored files.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL instead of the SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application.
    Serve(ServerFlags),
    /// Like `serve`, loading León's demo data into an empty database first.
    Demo(ServerFlags),
    /// Apply pending database migrations and exit.
    Migrate(ServerFlags),
    /// Validate a CSV file against a Table Schema (or the one inferred from it) and print
    /// the findings; exits with 1 when the file is not valid.
    Validate {
        /// The CSV file.
        file: PathBuf,
        /// A Frictionless Table Schema (JSON).
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Print frictionless' JSON report instead of the summary.
        #[arg(long)]
        json: bool,
        /// The most findings listed in full in the JSON report; 0 lists all (all are counted).
        #[arg(long, default_value_t = 1000)]
        limit_errors: usize,
    },
    /// Create the first administrator of a new installation (the password is read from
    /// standard input, or prompted for); refused once an administrator exists.
    Init {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input (or prompted for).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, secretariat_staff, member, reporting_unit or data_publisher.
        #[arg(long)]
        role: String,
        /// For reporting_unit: a unit's exact name; repeat for several.
        #[arg(long = "unit")]
        units: Vec<String>,
        #[command(flatten)]
        flags: ServerFlags,
    },
}

impl ServerFlags {
    fn overrides(&self) -> Overrides {
        Overrides {
            addr: self.addr.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Validate {
        file,
        schema,
        json,
        limit_errors,
    } = &cli.command
    {
        return match validate_command::run(file, schema.as_deref(), *json, *limit_errors) {
            Ok(outcome) => {
                println!("{}", outcome.output);
                if outcome.valid {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(err) => {
                eprintln!("abierto: error: {err}");
                ExitCode::from(2)
            }
        };
    }
    // `validate` runs without the async runtime: it reads one file, start to end.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("abierto: error: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("abierto: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let flags = match &cli.command {
        Command::Serve(f) | Command::Demo(f) | Command::Migrate(f) => f.clone(),
        Command::Validate { .. } => return Ok(()),
        Command::Init { flags, .. } => flags.clone(),
        Command::User {
            command: UserCommand::Add { flags, .. },
        } => flags.clone(),
    };
    let settings = Settings::load(&cli.config, &flags.overrides())?;
    telemetry::init(&settings.log_level, &settings.log_format);
    tracing::debug!(?settings, "configuración");
    match cli.command {
        Command::Serve(_) => startup::serve(&settings, false).await,
        Command::Demo(_) => startup::serve(&settings, true).await,
        Command::Migrate(_) => {
            startup::prepare_data_dir(&settings.data_dir)?;
            startup::open_store(&settings).await?;
            println!("abierto: migraciones aplicadas");
            Ok(())
        }
        Command::Validate { .. } => Ok(()),
        Command::Init { email, name, .. } => init(&settings, &email, &name).await,
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    units,
                    ..
                },
        } => add_user(&settings, &email, &name, &role, &units).await,
    }
}

/// `abierto init`: the first administrator, and what to do next.
async fn init(settings: &Settings, email: &str, name: &str) -> anyhow::Result<()> {
    startup::prepare_data_dir(&settings.data_dir)?;
    let store = startup::open_store(settings).await?;
    let app = App::new(store, settings.app_settings(), Clock::system())?;
    if abierto_app::operations::has_administrator(&app).await? {
        return Err(anyhow!(
            "esta instalación ya tiene una cuenta de administración; crea las demás con «abierto user add» o desde Administración → Cuentas"
        ));
    }
    add_user(settings, email, name, Role::Administrator.key(), &[]).await?;
    println!(
        "Siguiente paso: ejecuta «abierto serve» (con las mismas opciones) y entra en /entrar con {email}."
    );
    Ok(())
}

async fn add_user(
    settings: &Settings,
    email: &str,
    name: &str,
    role: &str,
    unit_names: &[String],
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|_| anyhow!("el correo «{email}» no es válido"))?;
    let name = DisplayName::parse(name)
        .map_err(|_| anyhow!("el nombre debe tener entre 1 y 120 caracteres"))?;
    let role = Role::parse(role).map_err(|_| {
        let keys: Vec<_> = Role::ALL.iter().map(|r| r.key()).collect();
        anyhow!("el rol «{role}» no existe; use uno de: {}", keys.join(", "))
    })?;
    let password = read_password()?;
    let password = Password::parse(&password).map_err(|_| {
        anyhow!(
            "la contraseña debe tener entre {} y {} caracteres",
            Password::MIN_CHARS,
            Password::MAX_CHARS
        )
    })?;
    startup::prepare_data_dir(&settings.data_dir)?;
    let store = startup::open_store(settings).await?;
    let app = App::new(store, settings.app_settings(), Clock::system())?;
    let known = accounts::units(&app).await?;
    let mut units = Vec::new();
    for wanted in unit_names {
        let unit = Unit::find_named(&known, wanted)
            .ok_or_else(|| anyhow!("no existe la unidad «{wanted}»"))?;
        units.push(unit.id);
    }
    let new = accounts::NewUser {
        email: email.clone(),
        name,
        role,
        password_hash: password
            .hash()
            .map_err(|_| anyhow!("no se pudo cifrar la contraseña"))?,
        person: None,
        units,
    };
    let id = accounts::create_account(&app, &Actor::system(), &new)
        .await
        .map_err(|e| match e {
            abierto_app::Error::Conflict { .. } => {
                anyhow!("ya existe una cuenta con el correo {}", email.as_str())
            }
            other => anyhow!(other),
        })?
        .id;
    println!(
        "abierto: cuenta {} creada ({}, id {id})",
        email.as_str(),
        role.key()
    );
    Ok(())
}

/// The password comes from standard input when it is piped, or from a hidden prompt (asked
/// twice) at a terminal; never from the command line, where other users could read it.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password("Contraseña: ").context("no se pudo leer la contraseña")?;
        let second = rpassword::prompt_password("Repite la contraseña: ")
            .context("no se pudo leer la contraseña")?;
        if first != second {
            return Err(anyhow!("las contraseñas no coinciden"));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("no se pudo leer la contraseña de la entrada estándar")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
