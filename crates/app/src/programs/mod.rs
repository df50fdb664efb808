//! The programs' own records, from which the plan's indicators are read: Mi Barrio Habla's
//! events and agreements, Presupuesto Participativo's works, Pregunta León, outreach
//! activities and trainings.

pub mod records;

pub use abierto_store::{Agreement, Event, Inquiry, Outreach, Span, Training, Work};

use crate::{App, Result};

/// Mi Barrio Habla's events (intervenciones) held within `span`.
pub async fn events(app: &App, span: Span) -> Result<Vec<Event>> {
    Ok(app.store().events(span).await?)
}

/// The improvement agreements made within `span`.
pub async fn agreements(app: &App, span: Span) -> Result<Vec<Agreement>> {
    Ok(app.store().agreements(span).await?)
}

/// Every Presupuesto Participativo work with its stages.
pub async fn works(app: &App) -> Result<Vec<Work>> {
    Ok(app.store().works().await?)
}

/// Pregunta León's interventions and advisories within `span`.
pub async fn inquiries(app: &App, span: Span) -> Result<Vec<Inquiry>> {
    Ok(app.store().inquiries(span).await?)
}

/// The outreach activities (acciones complementarias) within `span`.
pub async fn outreach(app: &App, span: Span) -> Result<Vec<Outreach>> {
    Ok(app.store().outreach(span).await?)
}

/// The trainings (capacitaciones) within `span`.
pub async fn trainings(app: &App, span: Span) -> Result<Vec<Training>> {
    Ok(app.store().trainings(span).await?)
}
