//! The answers every operation can give besides its own, added to the OpenAPI document in one
//! place so that none is left undocumented: 401 and 403 where an account is needed, 404
//! where a path names a record, 400, 413, 415 and 422 where a body or a query is read. Each
//! with the error envelope.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::Required;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::Modify;

pub struct CommonResponses;

/// (status, when) for an operation that needs an account.
const SIGNED_IN: [(&str, &str); 2] = [
    ("401", "Not signed in (`unauthenticated`)"),
    (
        "403",
        "The role does not allow it (`forbidden`), or a write without its CSRF token (`csrf_rejected`)",
    ),
];

/// (status, when) for an operation that reads a body.
const WITH_BODY: [(&str, &str); 4] = [
    (
        "400",
        "Malformed JSON (`invalid_json`), a field of the wrong type (`invalid_field`) or missing (`missing_field`)",
    ),
    ("413", "Over the size limit (`payload_too_large`)"),
    (
        "415",
        "Not sent as the operation's content type (`unsupported_media_type`)",
    ),
    ("422", "A value breaks a rule; `code` and `field` say which"),
];

/// (status, when) for an operation that reads a query.
const WITH_QUERY: [(&str, &str); 2] = [
    (
        "400",
        "A query parameter of the wrong shape (`invalid_field`)",
    ),
    (
        "422",
        "A query value breaks a rule; `code` and `field` say which",
    ),
];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let names_a_record = path.contains('{');
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                complete(operation, names_a_record);
            }
        }
    }
}

fn complete(operation: &mut Operation, names_a_record: bool) {
    let signed_in = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let has_query = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Query);
    let mut add = |status: &str, when: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(when));
    };
    if signed_in {
        SIGNED_IN.iter().for_each(|(s, w)| add(s, w));
    }
    if names_a_record {
        add("404", "No such record (`not_found`)");
    }
    if has_body {
        WITH_BODY.iter().for_each(|(s, w)| add(s, w));
    }
    if has_query {
        WITH_QUERY.iter().for_each(|(s, w)| add(s, w));
    }
    // Every body abierto reads is needed: sent without one, an operation refuses it.
    if let Some(body) = &mut operation.request_body {
        body.required = Some(Required::True);
    }
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                    .build(),
            )
            .build(),
    )
}
