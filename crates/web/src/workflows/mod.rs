//! The secretariat's procedures, shared by the HTML forms and the JSON API. Each one checks
//! the domain's rules against what is stored, then asks the store to write; the store checks
//! again, inside its transaction, whatever a concurrent request could change (numbering, an
//! acta's status).

pub mod bylaws;
pub mod convene;
pub mod files;
pub mod membership;
pub mod minutes;
pub mod record;
pub mod records;
pub mod reporting;
