//! One page's stored text and facts ([`PageText`], for the page endpoint), and the ground
//! stamps of a document's pages, read from the page records of the index.

use serde::Serialize;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};
use woo_core::schema::Fields;
use woo_core::{StoredDocument, StoredPage};

use crate::error::{ApiError, Result};

/// A page's text and facts, for the page endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct PageText {
    /// Page number.
    pub page: u32,
    /// Extracted text.
    pub text: String,
    /// How the text was obtained.
    pub text_source: String,
    /// Mean OCR confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<f32>,
    /// Language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Ground stamps on the page.
    pub grounds: Vec<String>,
}

/// The page metadata stored with a page record (the default when missing or unreadable).
fn page_meta_of(record: &TantivyDocument, fields: &Fields) -> StoredPage {
    record
        .get_first(fields.page_meta)
        .and_then(|value| value.as_str())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// The text of page `page` of `document` (whose id is `id`).
pub(super) fn page_text(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    document: &StoredDocument,
    page: u32,
) -> Result<PageText> {
    if page == 0 || page > document.page_count {
        return Err(ApiError::NotFound(format!(
            "document {id:?} has {} pages, no page {page}",
            document.page_count
        )));
    }
    let query = BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            Term::from_field_text(fields.doc_id, id),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.page, u64::from(page)),
            IndexRecordOption::Basic,
        )),
    ]);
    let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let Some(address) = addresses.into_iter().next() else {
        return Err(ApiError::NotFound(format!(
            "document {id:?} has no page {page}"
        )));
    };
    let record: TantivyDocument = searcher.doc(address)?;
    let text = record
        .get_first(fields.text)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_string();
    let page_meta = page_meta_of(&record, fields);
    Ok(PageText {
        page,
        text,
        text_source: page_meta.source.as_str().to_string(),
        ocr_confidence: page_meta.ocr_confidence,
        language: page_meta.language,
        grounds: page_meta.grounds,
    })
}

/// The ground stamps of every page of document `id` that has any, by page number.
pub(super) fn page_grounds(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> Result<Vec<(u32, Vec<String>)>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.doc_id, id),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut grounds_by_page = Vec::new();
    for address in addresses {
        let record: TantivyDocument = searcher.doc(address)?;
        let Some(page) = record
            .get_first(fields.page)
            .and_then(|value| value.as_u64())
        else {
            continue;
        };
        let page_meta = page_meta_of(&record, fields);
        if page > 0 && !page_meta.grounds.is_empty() {
            grounds_by_page.push((page as u32, page_meta.grounds));
        }
    }
    grounds_by_page.sort();
    Ok(grounds_by_page)
}

/// The text of every page of document `id`, by page number.
pub(super) fn page_texts(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> Result<Vec<(u32, String)>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.doc_id, id),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut texts = Vec::new();
    for address in addresses {
        let record: TantivyDocument = searcher.doc(address)?;
        let Some(page) = record
            .get_first(fields.page)
            .and_then(|value| value.as_u64())
        else {
            continue;
        };
        if page == 0 {
            continue;
        }
        let text = record
            .get_first(fields.text)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string();
        texts.push((page as u32, text));
    }
    texts.sort();
    Ok(texts)
}
