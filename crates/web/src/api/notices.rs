//! The convocation outbox over the API (the secretariat only: it holds members' addresses).

use abierto_domain::ids::{MembershipId, NoticeId, SessionId};
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::{AppError, AppState};

#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeSummary {
    pub id: NoticeId,
    pub session: SessionId,
    pub membership: MembershipId,
    /// The member's e-mail when they have an account; `null` means it must be delivered by hand.
    pub recipient: Option<String>,
    pub subject: String,
    pub body: String,
    /// `outbox`, `sent` or `failed`.
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct NoticeFilter {
    /// Only the notices of this session.
    pub session: Option<SessionId>,
}

/// Convocation notices, newest first.
#[utoipa::path(get, path = "/api/v1/notices", tag = "sesiones", params(NoticeFilter),
    responses(
        (status = 200, description = "Notices", body = Vec<NoticeSummary>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not the secretariat", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    Query(filter): Query<NoticeFilter>,
) -> Result<Json<Vec<NoticeSummary>>, AppError> {
    let notices =
        abierto_app::sessions::notices(&state.app, viewer.actor(), filter.session).await?;
    Ok(Json(
        notices
            .into_iter()
            .map(|n| NoticeSummary {
                id: n.id,
                session: n.session,
                membership: n.membership,
                recipient: n.recipient,
                subject: n.subject,
                body: n.body,
                status: n.status.key().to_owned(),
                created_at: n.created_at,
                sent_at: n.sent_at,
            })
            .collect(),
    ))
}
