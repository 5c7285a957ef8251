//! The answer to a search: [`SearchResponse`] with its [`SearchResult`]s, their [`PageHit`]
//! snippets, the [`FacetCount`]s, and with `group=publication` the [`PublicationGroup`]s.
//! Plain serialisable data; the JSON API returns it as it is.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::Score;
use woo_core::StoredDocument;

/// Documents shown per publication with `group=publication`.
pub const DOCUMENTS_PER_GROUP: usize = 3;

/// Queries with fewer results than this get a spelling suggestion when one is found.
pub const SUGGEST_BELOW_TOTAL: usize = 3;

/// A page of a result with its snippet.
#[derive(Debug, Clone, Serialize)]
pub struct PageHit {
    /// Page number (1-based).
    pub page: u32,
    /// HTML snippet: escaped text with `<mark>` around matches.
    pub snippet: String,
}

/// One result document.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Path relative to the indexed folder.
    pub source: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// Information category code (`2i`).
    pub category: Option<String>,
    /// Category label.
    pub category_label: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub document_type: Option<String>,
    /// Date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Judgement.
    pub judgement: Option<String>,
    /// Refusal grounds.
    pub grounds: Vec<String>,
    /// Decision letters: the letter's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<String>,
    /// Decision letters: the date of the request answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_date: Option<String>,
    /// Decision letters: the decision type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Decision letters: refusal-ground articles cited.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<String>,
    /// Publication id.
    pub publication_id: Option<String>,
    /// Publication title.
    pub publication_title: Option<String>,
    /// Number of pages.
    pub page_count: u32,
    /// Relevance score (0 in browse mode and in a sort by date, which computes none).
    pub score: f32,
    /// The best pages with snippets.
    pub hits: Vec<PageHit>,
    /// Its near-duplicate cluster (the smallest id of its members), when it has near-duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_cluster: Option<String>,
    /// With `collapse=duplicates`: the other matching documents of its cluster, not shown.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: usize,
    /// Its e-mail thread (`GET /api/threads/{id}`), when it is an e-mail of a thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
}

fn is_zero(value: &usize) -> bool {
    *value == 0
}

/// One facet value and its document count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Human label when the value is a code (category, ground).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Documents with this value.
    pub count: usize,
    /// Whether this value is selected in the request.
    pub selected: bool,
}

/// What a capped facet list leaves out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OtherFacetValues {
    /// Values not listed.
    pub values: usize,
    /// The sum of their document counts.
    pub count: usize,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// Matching documents after filters.
    pub total: usize,
    /// Time spent, milliseconds.
    pub took_ms: f64,
    /// The requested page of results.
    pub results: Vec<SearchResult>,
    /// Facet counts by facet name: the `facet_size` values with most documents (selected values
    /// always listed), or the whole `year`/`month` histogram newest first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// For each facet whose list was cut: how many values and documents it leaves out.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub facet_other: BTreeMap<String, OtherFacetValues>,
    /// With `group=publication`: publications matching (documents without one count apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_groups: Option<usize>,
    /// With `collapse=duplicates`: results after collapsing (a cluster counts once); `page`
    /// and `size` count these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_collapsed: Option<usize>,
    /// With `group=publication`: the requested page of publications, each with its best
    /// documents; `results` is then empty and `page`/`size` count publications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<PublicationGroup>>,
    /// "Bedoelde u …?": a corrected query, when the query found fewer than
    /// [`SUGGEST_BELOW_TOTAL`] documents and a rare word has a frequent near neighbour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl SearchResponse {
    /// A response with no results, no facets and no suggestion (an error page's search form).
    pub fn empty() -> SearchResponse {
        SearchResponse {
            total: 0,
            took_ms: 0.0,
            results: Vec::new(),
            facets: BTreeMap::new(),
            facet_other: BTreeMap::new(),
            total_groups: None,
            total_collapsed: None,
            groups: None,
            suggestion: None,
        }
    }
}

/// With `group=publication`: one publication and its best matching documents.
#[derive(Debug, Clone, Serialize)]
pub struct PublicationGroup {
    /// The publication id (`null` for a document published on its own).
    pub publication_id: Option<String>,
    /// The publication title.
    pub publication_title: Option<String>,
    /// Documents of this publication matching the query and filters.
    pub matched_documents: usize,
    /// Its best [`DOCUMENTS_PER_GROUP`] documents, in result order.
    pub results: Vec<SearchResult>,
}

/// The result of a stored document with its score and shown page hits.
pub(super) fn to_result(stored: &StoredDocument, score: Score, hits: Vec<PageHit>) -> SearchResult {
    SearchResult {
        id: stored.fields.id.clone(),
        title: stored.fields.title.clone(),
        source: stored.fields.source.clone(),
        publisher: stored.fields.publisher.clone(),
        category: stored.fields.category.clone(),
        category_label: stored
            .fields
            .category
            .as_deref()
            .and_then(woo_core::woo::category_by_any)
            .map(|category| category.label.to_string()),
        document_type: stored.fields.document_type.clone(),
        date: stored.fields.date.clone(),
        judgement: stored.fields.judgement.clone(),
        grounds: stored.grounds.clone(),
        decision_date: stored.fields.decision_date.clone(),
        request_date: stored.fields.request_date.clone(),
        decision: stored.fields.decision.clone(),
        articles: stored.fields.articles.clone(),
        publication_id: stored.fields.publication_id.clone(),
        publication_title: stored.fields.publication_title.clone(),
        page_count: stored.page_count,
        score,
        hits,
        duplicate_cluster: None,
        thread: None,
        duplicates: 0,
    }
}

/// Another member of a document's near-duplicate cluster.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuplicateMember {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its publication.
    pub publication_id: Option<String>,
    /// That publication's title.
    pub publication_title: Option<String>,
    /// Its date.
    pub date: Option<String>,
    /// Estimated similarity of the two texts (0–1, `woo_core::similarity`).
    pub similarity: f64,
}

/// An e-mail thread: its messages in time order with the documents and pages that print them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EmailThread {
    /// Its name (the smallest id of its documents).
    pub id: String,
    /// The subject of its first message, as printed.
    pub subject: Option<String>,
    /// Distinct messages.
    pub message_count: usize,
    /// Its messages, oldest first (undated last).
    pub messages: Vec<ThreadMessageView>,
    /// Its documents, in id order.
    pub documents: Vec<ThreadDocument>,
}

/// One message of a thread.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThreadMessageView {
    /// `YYYY-MM-DD`, with `THH:MM` when printed.
    pub sent: Option<String>,
    /// The sender as printed (a redaction stays a redaction).
    pub sender: Option<String>,
    /// The recipients as printed.
    pub recipients: Vec<String>,
    /// The subject as printed.
    pub subject: Option<String>,
    /// Where it is printed: document and page.
    pub printed_in: Vec<ThreadPlace>,
}

/// A page that prints a message of a thread.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThreadPlace {
    /// The document's id.
    pub document_id: String,
    /// The page (1-based).
    pub page: u32,
}

/// A document of a thread.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThreadDocument {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its publication.
    pub publication_id: Option<String>,
    /// That publication's title.
    pub publication_title: Option<String>,
    /// Its date.
    pub date: Option<String>,
}

/// A document as a comparison names it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComparedDocument {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its publication's title.
    pub publication_title: Option<String>,
    /// Its date.
    pub date: Option<String>,
}

impl ComparedDocument {
    /// The comparison's view of a stored document.
    pub fn of(stored: &StoredDocument) -> ComparedDocument {
        ComparedDocument {
            id: stored.fields.id.clone(),
            title: stored.fields.title.clone(),
            publication_title: stored.fields.publication_title.clone(),
            date: stored.fields.date.clone(),
        }
    }
}

/// `GET /api/documents/{a}/compare/{b}`: two documents and their redaction differences.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentComparison {
    /// Document `a`.
    pub first: ComparedDocument,
    /// Document `b`.
    pub second: ComparedDocument,
    /// Estimated similarity of their texts.
    pub similarity: f64,
    /// The aligned texts and the passages one redacts and the other discloses.
    #[serde(flatten)]
    pub comparison: crate::compare::Comparison,
}
