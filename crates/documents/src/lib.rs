//! Pure renderers: a prepared view model in, a document out. Nothing here reads a database or
//! speaks HTTP, so every document can be tested from plain values and compared with golden
//! files.
//!
//! `minutes` writes an acta in the fixed legal prose of the secretariat's minutes, as a list
//! of blocks; `to_markdown` turns the blocks into Markdown, and the web layer turns the same
//! blocks into an escaped HTML page. `diff` marks the words an amendment changes in an
//! article, for the side-by-side view. `plan_reports` holds the action plan's quarterly report
//! and goal-tracking table. `calendar` writes sessions as iCalendar events.

pub mod calendar;
pub mod diff;
pub mod minutes;
pub mod plan_reports;
mod prose;
