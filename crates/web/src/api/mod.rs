//! The JSON API under `/api/v1`, its OpenAPI 3.1 document, and the operational endpoints
//! `/healthz` and `/metrics`.

mod bodies;
mod bylaws;
mod call_admin;
mod calls;
mod contract;
mod health;
mod imports;
mod json;
mod me;
mod notices;
mod plan_writes;
pub(crate) mod plans;
mod records;
mod session_writes;
mod sessions;
mod users;

use crate::csrf::GuardedRouter;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorEnvelope};
use crate::metrics;
use contract::CommonResponses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "abierto API",
        description = "API del Secretariado Técnico Municipal de Gobierno Abierto. Errors come as {\"error\":{\"code\",\"message\",\"field\"}} with a stable snake_case code.",
        version = "1"
    ),
    paths(
        me::me, users::list, users::create, bodies::list, bodies::members, bodies::add_member, bodies::add_person,
        bylaws::consolidated, bylaws::amendment, bylaws::create,
        sessions::list, sessions::detail, sessions::minutes,
        session_writes::create, session_writes::set_agenda, session_writes::set_attendance,
        session_writes::set_times, session_writes::set_vote, session_writes::add_motion,
        session_writes::add_annex, session_writes::convocation, session_writes::sign,
        session_writes::publish, session_writes::correct, notices::list,
        plans::list, plans::detail, plans::goals, plans::goal, plans::schedule, plans::quarterly,
        plans::tracking, plans::save_draft, plans::publish_draft, plans::add_evidence,
        plans::add_reading, imports::upload, records::add_event, records::save_agreement,
        records::change_stage, records::add_inquiry, records::add_outreach, records::add_training,
        plan_writes::create_plan, plan_writes::edit_plan, plan_writes::set_weights,
        plan_writes::create_commitment, plan_writes::edit_commitment, plan_writes::create_goal,
        plan_writes::edit_goal, plan_writes::set_origin, calls::list, calls::detail, calls::submit, calls::status,
        calls::action_bank, call_admin::create, call_admin::edit, call_admin::publish,
        call_admin::submissions, call_admin::evaluate, call_admin::add_note,
        call_admin::proponent, call_admin::erase_proponent, call_admin::resolve, call_admin::seat, health::healthz
    ),
    components(schemas(ErrorEnvelope, ErrorBody)),
    modifiers(&SessionCookie, &CommonResponses),
    tags(
        (name = "cuentas", description = "Accounts and the signed-in user"),
        (name = "secretariado", description = "Collegiate bodies and their members"),
        (name = "sesiones", description = "Sessions, their record and their minutes (actas)"),
        (name = "plan", description = "The action plan (PAMGA): goals, indicators, schedule and reports"),
        (name = "participación", description = "Calls (convocatorias), submissions and the Banco de Acciones"),
        (name = "operación", description = "Health and monitoring"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::cookies::SESSION))),
        );
    }
}

pub fn router(annex_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
        .route("/api/v1/me", get(me::me))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/bodies", get(bodies::list))
        .route(
            "/api/v1/bodies/{id}/members",
            get(bodies::members).post(bodies::add_member),
        )
        .route("/api/v1/people", post(bodies::add_person))
        .route("/api/v1/bodies/{id}/bylaws", get(bylaws::consolidated))
        .route("/api/v1/bodies/{id}/amendments", post(bylaws::create))
        .route("/api/v1/amendments/{id}", get(bylaws::amendment))
        .route(
            "/api/v1/sessions",
            get(sessions::list).post(session_writes::create),
        )
        .route("/api/v1/sessions/{id}", get(sessions::detail))
        .route("/api/v1/sessions/{id}/minutes", get(sessions::minutes))
        .route(
            "/api/v1/sessions/{id}/agenda",
            put(session_writes::set_agenda),
        )
        .route(
            "/api/v1/sessions/{id}/attendance",
            put(session_writes::set_attendance),
        )
        .route(
            "/api/v1/sessions/{id}/times",
            put(session_writes::set_times),
        )
        .route(
            "/api/v1/sessions/{id}/agenda/{position}/vote",
            put(session_writes::set_vote),
        )
        .route(
            "/api/v1/sessions/{id}/agenda/{position}/motions",
            post(session_writes::add_motion),
        )
        .route(
            "/api/v1/sessions/{id}/agenda/{position}/annexes",
            post(session_writes::add_annex).layer(DefaultBodyLimit::max(annex_limit)),
        )
        .route(
            "/api/v1/sessions/{id}/convocation",
            post(session_writes::convocation),
        )
        .route(
            "/api/v1/sessions/{id}/minutes/signatures",
            post(session_writes::sign),
        )
        .route(
            "/api/v1/sessions/{id}/minutes/publication",
            post(session_writes::publish),
        )
        .route(
            "/api/v1/sessions/{id}/minutes/corrections",
            post(session_writes::correct),
        )
        .route("/api/v1/notices", get(notices::list))
        .route("/api/v1/calls", get(calls::list).post(call_admin::create))
        .route(
            "/api/v1/calls/{id}",
            get(calls::detail).put(call_admin::edit),
        )
        .route(
            "/api/v1/calls/{id}/submissions",
            get(call_admin::submissions).post(calls::submit),
        )
        .route("/api/v1/calls/{id}/publication", post(call_admin::publish))
        .route("/api/v1/calls/{id}/results", post(call_admin::resolve))
        .route(
            "/api/v1/submissions/{id}/evaluation",
            post(call_admin::evaluate),
        )
        .route("/api/v1/submissions/{id}/notes", post(call_admin::add_note))
        .route("/api/v1/submissions/{id}/seat", post(call_admin::seat))
        .route(
            "/api/v1/submissions/{id}/proponent",
            post(call_admin::proponent).delete(call_admin::erase_proponent),
        )
        .route("/api/v1/submissions/status", post(calls::status))
        .route("/api/v1/action-bank", get(calls::action_bank))
        .route(
            "/api/v1/plans",
            get(plans::list).post(plan_writes::create_plan),
        )
        .route(
            "/api/v1/plans/{id}",
            get(plans::detail).put(plan_writes::edit_plan),
        )
        .route("/api/v1/plans/{id}/weights", put(plan_writes::set_weights))
        .route(
            "/api/v1/plans/{id}/commitments",
            post(plan_writes::create_commitment),
        )
        .route(
            "/api/v1/commitments/{id}",
            put(plan_writes::edit_commitment),
        )
        .route(
            "/api/v1/commitments/{id}/origin",
            put(plan_writes::set_origin),
        )
        .route("/api/v1/plans/{id}/goals", get(plans::goals))
        .route("/api/v1/plans/{id}/tracking", get(plans::tracking))
        .route(
            "/api/v1/goals/{id}",
            get(plans::goal).put(plan_writes::edit_goal),
        )
        .route(
            "/api/v1/commitments/{id}/goals",
            post(plan_writes::create_goal),
        )
        .route("/api/v1/goals/{id}/readings", post(plans::add_reading))
        .route("/api/v1/commitments/{id}/schedule", get(plans::schedule))
        .route(
            "/api/v1/commitments/{id}/reports/{month}",
            put(plans::save_draft),
        )
        .route(
            "/api/v1/commitments/{id}/reports/{month}/publication",
            post(plans::publish_draft),
        )
        .route("/api/v1/records/events", post(records::add_event))
        .route("/api/v1/records/agreements", post(records::save_agreement))
        .route("/api/v1/records/inquiries", post(records::add_inquiry))
        .route("/api/v1/records/outreach", post(records::add_outreach))
        .route("/api/v1/records/trainings", post(records::add_training))
        .route("/api/v1/works/{id}/stages", post(records::change_stage))
        .route(
            "/api/v1/imports/{kind}",
            post(imports::upload).layer(DefaultBodyLimit::max(annex_limit)),
        )
        .route(
            "/api/v1/commitments/{id}/reports/{month}/evidence",
            post(plans::add_evidence).layer(DefaultBodyLimit::max(annex_limit)),
        )
        .route("/api/v1/reports/quarterly", get(plans::quarterly))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::exposition))
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
