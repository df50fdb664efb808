//! The bylaws as the pages and the API show them: the consolidated text at a date with its
//! reference findings, and an amendment beside the text it would replace.

use abierto_documents::diff::{side_by_side, Piece};
use abierto_domain::bylaws::{
    broken_references, consolidated, fracciones, Amendment, ArticleVersion,
};
use abierto_domain::findings::Finding;
use abierto_domain::ids::{AmendmentId, BodyId};
use chrono::NaiveDate;
use serde::Serialize;

use crate::{App, Error};

/// One article in force on the date asked for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleInForce {
    #[serde(flatten)]
    pub version: ArticleVersion,
    /// "I", "II"… as the text numbers them.
    pub fracciones: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsolidatedBylaws {
    pub body: BodyId,
    pub at: NaiveDate,
    pub articles: Vec<ArticleInForce>,
    /// References to an article or fracción the text does not have.
    pub findings: Vec<Finding>,
    pub amendments: Vec<Amendment>,
}

pub async fn consolidated_at(
    app: &App,
    body: BodyId,
    at: NaiveDate,
) -> Result<ConsolidatedBylaws, Error> {
    app.store().body(body).await?;
    let versions = app.store().article_versions(body).await?;
    let in_force = consolidated(&versions, at);
    let findings = in_force
        .values()
        .flat_map(|v| broken_references(&format!("artículo {}", v.article), &v.text, &in_force))
        .collect();
    Ok(ConsolidatedBylaws {
        body,
        at,
        articles: in_force
            .values()
            .map(|v| ArticleInForce {
                fracciones: fracciones(&v.text),
                version: (*v).clone(),
            })
            .collect(),
        findings,
        amendments: app.store().amendments(body).await?,
    })
}

/// One article's change: the text in force before the amendment, and the proposed one, each
/// with its words marked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChangeView {
    pub article: i64,
    /// `null` when the amendment adds a new article.
    pub current_text: Option<String>,
    pub new_text: String,
    pub current: Vec<Piece>,
    pub proposed: Vec<Piece>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AmendmentView {
    #[serde(flatten)]
    pub amendment: Amendment,
    /// The date the comparison is made at: the day it was approved, or today while proposed.
    pub compared_at: NaiveDate,
    pub comparison: Vec<ChangeView>,
    /// References in the new texts to an article or fracción that does not exist.
    pub findings: Vec<Finding>,
}

pub async fn amendment_view(
    app: &App,
    id: AmendmentId,
    today: NaiveDate,
) -> Result<AmendmentView, Error> {
    let amendment = app.store().amendment(id).await?;
    let versions = app.store().article_versions(amendment.body).await?;
    let compared_at = amendment.approved_on.unwrap_or(today);
    let before = consolidated(&versions, compared_at);
    let comparison = amendment
        .changes
        .iter()
        .map(|change| {
            let current = before.get(&change.article).map(|v| v.text.clone());
            let (old, new) = side_by_side(current.as_deref().unwrap_or_default(), &change.text);
            ChangeView {
                article: change.article,
                current_text: current,
                new_text: change.text.clone(),
                current: old,
                proposed: new,
            }
        })
        .collect();
    // The references are checked against the text as it would stand with the amendment.
    let mut after: Vec<ArticleVersion> = versions.clone();
    for change in &amendment.changes {
        after.push(ArticleVersion {
            article: change.article,
            text: change.text.clone(),
            in_force_from: NaiveDate::MAX,
            amendment: Some(amendment.id),
        });
    }
    let with_amendment = consolidated(&after, NaiveDate::MAX);
    let findings = amendment
        .changes
        .iter()
        .flat_map(|c| {
            broken_references(&format!("artículo {}", c.article), &c.text, &with_amendment)
        })
        .collect();
    Ok(AmendmentView {
        amendment,
        compared_at,
        comparison,
        findings,
    })
}
