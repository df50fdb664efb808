//! The secretariat's past, entered as the paper record has it: the municipality and its bodies
//! as they stood, sessions held before abierto with their actas, a plan already under way,
//! the programs' records, calls and the portal's datasets. The demo loader enters León's
//! record through here, and so will a municipality setting abierto up over its archive.
//!
//! The live procedures (`sessions::record`, `plan::reporting`…) check what is done today: a
//! vote is counted against the quorum of those present, attendance is the seats active on
//! the day. The record of the past is taken as it was kept instead (a vote the acta reports
//! without its count, a name as written on the list, a signature sheet as signed), by an
//! actor who may keep the secretariat's records; every rule the store holds inside its
//! transactions still applies (an acta is published only with the annexes it announces, a
//! plan's weights sum to one, a stage follows the one before).

pub mod calls;
pub mod governance;
pub mod open_data;
pub mod plans;
pub mod programs;
pub mod sessions;
