//! Administration: accounts and the audit log. Administrators only.

use crate::csrf::GuardedRouter;
use abierto_domain::account::Role;
use abierto_domain::ids::UnitId;
use abierto_domain::municipality::Unit;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::render;
use crate::auth::Viewer;
use crate::html_form;
use crate::page::{role_key, PageContext};
use crate::{AppError, AppState};
use abierto_app::accounts::{self, new_account};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/admin/cuentas", get(users).post(create_user))
        .route("/admin/bitacora", get(audit_log))
}

struct UserRow {
    email: String,
    name: String,
    role_key: &'static str,
}

struct RoleOption {
    key: &'static str,
    label_key: &'static str,
}

#[derive(Default)]
struct UserForm {
    email: String,
    name: String,
    role: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    ctx: PageContext,
    users: Vec<UserRow>,
    roles: Vec<RoleOption>,
    units: Vec<Unit>,
    form: UserForm,
    created: bool,
    error_key: Option<String>,
}

#[derive(serde::Deserialize)]
struct CreatedQuery {
    #[serde(default)]
    creada: Option<String>,
}

async fn users_page(
    state: &AppState,
    ctx: PageContext,
    form: UserForm,
    created: bool,
    error_key: Option<String>,
) -> Result<UsersPage, AppError> {
    let users = accounts::accounts(&state.app, &ctx.actor)
        .await?
        .into_iter()
        .map(|u| UserRow {
            email: u.email.as_str().to_owned(),
            name: u.name.as_str().to_owned(),
            role_key: role_key(u.role),
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            key: r.key(),
            label_key: role_key(r),
        })
        .collect();
    Ok(UsersPage {
        ctx,
        users,
        roles,
        units: abierto_app::accounts::units(&state.app).await?,
        form,
        created,
        error_key,
    })
}

async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    Query(query): Query<CreatedQuery>,
) -> Result<Response, AppError> {
    viewer.require(Role::can_manage_accounts)?;
    let page = users_page(
        &state,
        ctx,
        UserForm::default(),
        query.creada.is_some(),
        None,
    )
    .await?;
    render(&page)
}

/// The new-account form as posted: `unit` repeats, one per unit ticked.
#[derive(Default, Deserialize)]
#[serde(default)]
struct AccountPost {
    email: String,
    name: String,
    role: String,
    password: String,
    unit: Vec<String>,
}

fn parse_form(body: &[u8]) -> Result<(UserForm, String, Vec<UnitId>), AppError> {
    let post: AccountPost = html_form::read(body)?;
    let units = post.unit.iter().filter_map(|u| u.parse().ok()).collect();
    let form = UserForm {
        email: post.email,
        name: post.name,
        role: post.role,
    };
    Ok((form, post.password, units))
}

async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    viewer.require(Role::can_manage_accounts)?;
    // Read only once the person may manage accounts.
    let (form, password, units) = parse_form(&body)?;
    let validated = Role::parse(&form.role)
        .and_then(|role| new_account(&form.email, &form.name, role, &password, units));
    let outcome = match validated {
        Ok(new) => accounts::create_account(&state.app, viewer.actor(), &new)
            .await
            .map(drop)
            .map_err(AppError::from),
        Err(invalid) => Err(AppError::Invalid(invalid)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin/cuentas?creada=1").into_response()),
        Err(
            err @ (AppError::Invalid(_) | AppError::Conflict { .. } | AppError::MissingReference),
        ) => {
            let status = err.status();
            let key = err.report().message_key;
            let page = users_page(&state, ctx, form, false, Some(key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(other) => Err(other),
    }
}

struct AuditRow {
    at: String,
    actor_email: Option<String>,
    who_key: &'static str,
    action: String,
    subject: String,
    detail: String,
    ip: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    ctx: PageContext,
    entries: Vec<AuditRow>,
}

async fn audit_log(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
) -> Result<Response, AppError> {
    viewer.require(Role::can_manage_accounts)?;
    let entries = accounts::audit_entries(&state.app, viewer.actor(), 200)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            who_key: if e.ip.is_some() {
                "admin.anonymous"
            } else {
                "admin.system"
            },
            actor_email: e.actor_email,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage { ctx, entries })
}
