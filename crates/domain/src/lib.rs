//! The vocabulary of abierto: typed ids, accounts and roles, languages, the secretariat's
//! bodies and memberships, and the branding rules a municipality's pages must respect.
//!
//! Everything here is pure: values are built through `parse` functions that refuse what the
//! rules forbid, so the store and the web layer only ever handle valid data. No IO, no SQL,
//! no HTTP. Errors carry a stable snake_case code that the web layer turns into a Spanish
//! (or English) message.

pub mod account;
pub mod annexes;
pub mod branding;
pub mod bylaws;
pub mod calls;
pub mod conduct;
pub mod dates;
pub mod error;
pub mod error_code;
pub mod findings;
pub mod governance;
pub mod ids;
pub mod indicators;
pub mod lang;
pub mod local_time;
pub mod membership_rules;
pub mod minutes;
pub mod municipality;
pub mod opendata;
pub mod plan;
pub mod programs;
pub mod sessions;

pub use error::ValidationError;
pub use error_code::ErrorCode;
