//! The acta in HTML, written in one place: the `minutes_blocks.html` partial renders its
//! blocks for the session's minutes page and for this standalone document, which the API
//! serves as `?format=html`.

use abierto_documents::minutes::Block;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::AppError;

#[derive(Template)]
#[template(path = "minutes_document.html")]
struct MinutesDocument<'a> {
    title: &'a str,
    blocks: &'a [Block],
}

/// The acta as a standalone HTML document (no site navigation), for the API.
pub fn minutes_document(title: &str, blocks: &[Block]) -> Result<Response, AppError> {
    Ok(Html(MinutesDocument { title, blocks }.render()?).into_response())
}

/// Splits the acta's `*énfasis*` into (text, emphasised) pieces, so the template can set the
/// emphasis in HTML while escaping every piece.
pub fn segments(text: &str) -> Vec<(String, bool)> {
    text.split('*')
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| (s.to_owned(), i % 2 == 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn splits_emphasis() {
        assert_eq!(
            segments("se declara *quórum* legal"),
            vec![
                ("se declara ".to_owned(), false),
                ("quórum".to_owned(), true),
                (" legal".to_owned(), false)
            ]
        );
        assert_eq!(
            segments("sin énfasis"),
            vec![("sin énfasis".to_owned(), false)]
        );
    }
}
