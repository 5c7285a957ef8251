//! The complaint patterns page.
use crate::complaints::{ComplaintAnswer, ComplaintQuery};
use crate::html::UiLanguage;

/// Renders the page.
pub fn render_complaints_page(
    _pairs: &[(String, String)],
    _query: &ComplaintQuery,
    _answer: &ComplaintAnswer,
    _language: UiLanguage,
) -> String {
    String::new()
}
