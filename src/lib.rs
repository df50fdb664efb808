//! The `abierto` program: reads the configuration, chooses the database once, loads the
//! demo data when asked, and serves the web application. The `main.rs` beside this file
//! only parses the command line and calls into these modules.

pub mod config;
pub mod demo;
pub mod startup;
pub mod telemetry;
pub mod validate_command;
