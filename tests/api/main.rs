//! HTTP tests: each starts the real server on port 0 with its own fresh database (SQLite, or
//! a PostgreSQL schema when `ABIERTO_TEST_DATABASE_URL` is set) holding León's demo data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_errors;
mod bylaws;
mod call_jobs;
mod call_pages;
mod calls;
mod ckan;
mod conduct;
mod helpers;
mod imports;
mod login;
mod mail;
mod manage_pages;
mod memberships;
mod open_data;
mod operations;
mod own_records;
mod pages;
mod plan_forms;
mod plans;
mod records;
mod report_pages;
mod schemathesis;
mod sessions;
