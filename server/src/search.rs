//! SearchRequest -> query + grouping + facets + snippets -> SearchResponse (no axum types).
//!
//! How a search runs ([`SearchService::search`]):
//! 1. the query text is validated and parsed ([`crate::query`]); an empty `q` or `*` is browse
//!    mode (every document, newest first);
//! 2. every matching record (page or document record) is collected with its score and grouped
//!    by document ([`GroupingCollector`]); a document's score is its best page's score plus a
//!    fifth of its second best, so several good pages beat one;
//! 3. facet filters and the date range are applied in memory on the [`DocumentTable`] (one entry
//!    per document, rebuilt at every reload); facet counts count documents, and each facet's
//!    counts are computed with that facet's own selection left out (OR within a facet, AND
//!    across facets);
//! 4. results are sorted (relevance, then date, newest first, then id; or by date), paged, and
//!    the best pages of each result get a snippet with `<mark>` highlights.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};
use woo_indexer::schema::{self, Fields};
use woo_indexer::{StoredDocument, StoredPage};

use crate::error::{ApiError, Result};
use crate::highlight::{self, Highlighter};
use crate::query::QueryBuilder;

/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 100;
/// `page × size` may not exceed this (Elasticsearch's `max_result_window`).
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Most values selected in one facet.
pub const MAX_FACET_VALUES: usize = 20;
/// Longest facet value in bytes.
pub const MAX_FACET_VALUE_BYTES: usize = 256;
/// Facet values listed per facet unless `facet_size` says otherwise (the rest is summed up in
/// `facet_other`). The `year` and `month` histograms are never cut.
pub const DEFAULT_FACET_SIZE: usize = 10;
/// Largest `facet_size`.
pub const MAX_FACET_SIZE: usize = 100;
/// Best pages shown per result.
pub const HITS_PER_RESULT: usize = 3;
/// Best pages kept per document while collecting; the shown hits are the best of these whose
/// text really contains a query term (a page can match on the document title alone).
pub const PAGES_CONSIDERED_PER_RESULT: usize = 12;

/// The facets, in the order they are shown.
pub const FACET_NAMES: &[&str] = &[
    "publisher",
    "category",
    "type",
    "year",
    "language",
    "ground",
    "judgement",
    "text_source",
    "decision",
    "outcome",
    "subject",
    "month",
];

/// Facets that are histograms over time: listed in full, newest first, never cut.
const HISTOGRAM_FACETS: &[&str] = &["year", "month"];

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first (browse mode: newest first).
    #[default]
    Relevance,
    /// Newest first.
    DateNewestFirst,
    /// Oldest first.
    DateOldestFirst,
}

/// A validated search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query text (empty or `*`: browse mode).
    pub query: String,
    /// 1-based result page.
    pub page: usize,
    /// Results per page.
    pub size: usize,
    /// Order.
    pub sort: SortOrder,
    /// Selected facet values by facet name.
    pub filters: BTreeMap<String, Vec<String>>,
    /// Earliest document date, days since 1970.
    pub from_days: Option<i64>,
    /// Latest document date, days since 1970.
    pub to_days: Option<i64>,
    /// Earliest decision date (decision letters), days since 1970.
    pub decided_from_days: Option<i64>,
    /// Latest decision date (decision letters), days since 1970.
    pub decided_to_days: Option<i64>,
    /// Values listed per facet (0: [`DEFAULT_FACET_SIZE`]).
    pub facet_size: usize,
    /// `group=publication`: page through publications instead of documents.
    pub group_by_publication: bool,
    /// Whether the `month` histogram is counted (`histogram=month`); it is always counted when
    /// a month is selected.
    pub month_histogram: bool,
}

impl SearchRequest {
    /// Checks the paging window and filters; call before [`SearchService::search`].
    pub fn validate(&self) -> Result<()> {
        if self.size == 0 || self.size > MAX_PAGE_SIZE {
            return Err(ApiError::invalid(
                "size",
                format!("size must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        if self.page == 0 {
            return Err(ApiError::invalid("page", "page must be 1 or more"));
        }
        if self.page.saturating_mul(self.size) > MAX_RESULT_WINDOW {
            return Err(ApiError::ResultWindowTooLarge {
                page: self.page,
                size: self.size,
                limit: MAX_RESULT_WINDOW,
            });
        }
        for (name, values) in &self.filters {
            if !FACET_NAMES.contains(&name.as_str()) {
                return Err(ApiError::InvalidFacet {
                    param: name.clone(),
                    message: format!("unknown facet {name:?}"),
                });
            }
            if values.len() > MAX_FACET_VALUES {
                return Err(ApiError::InvalidFacet {
                    param: name.clone(),
                    message: format!("more than {MAX_FACET_VALUES} values for facet {name:?}"),
                });
            }
            if values
                .iter()
                .any(|value| value.len() > MAX_FACET_VALUE_BYTES)
            {
                return Err(ApiError::InvalidFacet {
                    param: name.clone(),
                    message: format!(
                        "a value of facet {name:?} is longer than {MAX_FACET_VALUE_BYTES} bytes"
                    ),
                });
            }
        }
        if self.facet_size > MAX_FACET_SIZE {
            return Err(ApiError::invalid(
                "facet_size",
                format!("facet_size must be between 1 and {MAX_FACET_SIZE}"),
            ));
        }
        if let (Some(from), Some(to)) = (self.from_days, self.to_days) {
            if from > to {
                return Err(ApiError::invalid("from", "from is after to"));
            }
        }
        if let (Some(from), Some(to)) = (self.decided_from_days, self.decided_to_days) {
            if from > to {
                return Err(ApiError::invalid(
                    "decided_from",
                    "decided_from is after decided_to",
                ));
            }
        }
        Ok(())
    }

    /// Whether this is browse mode (no query text).
    pub fn is_browse(&self) -> bool {
        let trimmed = self.query.trim();
        trimmed.is_empty() || trimmed == "*"
    }
}

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
    /// Relevance score (0 in browse mode).
    pub score: f32,
    /// The best pages with snippets.
    pub hits: Vec<PageHit>,
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
    /// With `group=publication`: the requested page of publications, each with its best
    /// documents; `results` is then empty and `page`/`size` count publications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<PublicationGroup>>,
    /// "Bedoelde u …?": a corrected query, when the query found fewer than
    /// [`SUGGEST_BELOW_TOTAL`] documents and a rare word has a frequent near neighbour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Documents shown per publication with `group=publication`.
pub const DOCUMENTS_PER_GROUP: usize = 3;

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

/// Matching documents of one publication, as positions in the document table in result order.
struct PositionsOfPublication {
    positions: Vec<usize>,
}

/// The selected documents grouped per publication, groups in order of their best document;
/// a document without a publication is a group of its own.
fn group_by_publication(table: &DocumentTable, selected: &[usize]) -> Vec<PositionsOfPublication> {
    let mut groups: Vec<PositionsOfPublication> = Vec::new();
    let mut group_of_publication: HashMap<&str, usize> = HashMap::new();
    for &position in selected {
        let publication = table.entries[position].stored.publication_id.as_deref();
        let existing = publication.and_then(|id| group_of_publication.get(id).copied());
        match existing {
            Some(index) => groups[index].positions.push(position),
            None => {
                if let Some(id) = publication {
                    group_of_publication.insert(id, groups.len());
                }
                groups.push(PositionsOfPublication {
                    positions: vec![position],
                });
            }
        }
    }
    groups
}

/// Queries with fewer results than this get a spelling suggestion when one is found.
pub const SUGGEST_BELOW_TOTAL: usize = 3;

/// One document of the in-memory table.
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    /// [`schema::doc_key`] of the id, computed once when the table is built.
    pub key: u64,
    /// What the index stores.
    pub stored: StoredDocument,
    /// Date as days since 1970.
    pub date_days: Option<i64>,
    /// Decision date (decision letters) as days since 1970.
    pub decision_days: Option<i64>,
    /// Facet values, indexed like [`FACET_NAMES`] (a vector, not a map: facet counting reads
    /// every facet of every matching document, and map lookups were most of a search's time).
    pub facet_values: Vec<Vec<String>>,
}

impl DocumentEntry {
    /// The values of facet `name` (`None` for an unknown facet).
    pub fn facet(&self, name: &str) -> Option<&[String]> {
        let index = facet_index(name)?;
        self.facet_values.get(index).map(Vec::as_slice)
    }
}

/// Position of a facet in [`FACET_NAMES`].
fn facet_index(name: &str) -> Option<usize> {
    FACET_NAMES.iter().position(|facet| *facet == name)
}

/// Every live document, by key; rebuilt at each reader reload.
#[derive(Debug, Default)]
pub struct DocumentTable {
    /// Entries.
    pub entries: Vec<DocumentEntry>,
    /// Key -> position in `entries`.
    pub by_key: HashMap<u64, usize>,
    /// Id -> position in `entries`.
    pub by_id: HashMap<String, usize>,
}

/// The facet values of a document, in the order of [`FACET_NAMES`].
fn facet_values_of(stored: &StoredDocument) -> Vec<Vec<String>> {
    let date_prefix = |length: usize| -> Vec<String> {
        stored
            .date
            .as_deref()
            .and_then(|date| date.get(..length))
            .filter(|prefix| prefix.len() == length)
            .map(str::to_string)
            .into_iter()
            .collect()
    };
    FACET_NAMES
        .iter()
        .map(|&name| match name {
            "publisher" => stored.publisher.iter().cloned().collect(),
            "category" => stored.category.iter().cloned().collect(),
            "type" => stored.document_type.iter().cloned().collect(),
            "year" => date_prefix(4),
            "month" => date_prefix(7),
            "language" => stored.languages.clone(),
            "ground" => stored.grounds.clone(),
            "judgement" => stored.judgement.iter().cloned().collect(),
            "text_source" => stored.text_sources.clone(),
            "decision" => stored.decision.iter().cloned().collect(),
            "outcome" => stored.outcome.iter().cloned().collect(),
            "subject" => stored.subject.iter().cloned().collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Builds the document table from the document records of a searcher.
pub fn build_document_table(
    searcher: &tantivy::Searcher,
    fields: &Fields,
) -> Result<DocumentTable> {
    let query = TermQuery::new(
        Term::from_field_text(fields.record, schema::RECORD_DOCUMENT),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut table = DocumentTable::default();
    let mut sorted: Vec<DocAddress> = addresses.into_iter().collect();
    sorted.sort();
    for address in sorted {
        let record: TantivyDocument = searcher.doc(address)?;
        let Some(meta) = record
            .get_first(fields.meta)
            .and_then(|value| value.as_str())
        else {
            continue;
        };
        let Ok(stored) = serde_json::from_str::<StoredDocument>(meta) else {
            tracing::warn!("document record with unreadable metadata skipped");
            continue;
        };
        let key = schema::doc_key(&stored.id);
        let position = table.entries.len();
        table.by_key.insert(key, position);
        table.by_id.insert(stored.id.clone(), position);
        table.entries.push(DocumentEntry {
            key,
            date_days: stored
                .date
                .as_deref()
                .and_then(woo_indexer::write::date_to_days),
            decision_days: stored
                .decision_date
                .as_deref()
                .and_then(woo_indexer::write::date_to_days),
            facet_values: facet_values_of(&stored),
            stored,
        });
    }
    Ok(table)
}

/// Hits of one document: best score and best pages.
#[derive(Debug, Clone, Default)]
pub struct DocumentHits {
    /// Best record score.
    pub best: Score,
    /// Second best record score.
    pub second: Score,
    /// Best page records (score, page number, address), at most [`PAGES_CONSIDERED_PER_RESULT`].
    pub pages: Vec<(Score, u32, DocAddress)>,
}

impl DocumentHits {
    fn add(&mut self, score: Score, page: u32, address: DocAddress) {
        if score > self.best {
            self.second = self.best;
            self.best = score;
        } else if score > self.second {
            self.second = score;
        }
        if page == 0 {
            return;
        }
        self.pages.push((score, page, address));
        if self.pages.len() > 2 * PAGES_CONSIDERED_PER_RESULT {
            self.pages
                .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            self.pages.truncate(PAGES_CONSIDERED_PER_RESULT);
        }
    }

    fn merge(&mut self, other: DocumentHits) {
        for score in [other.best, other.second] {
            if score > self.best {
                self.second = self.best;
                self.best = score;
            } else if score > self.second {
                self.second = score;
            }
        }
        self.pages.extend(other.pages);
        self.pages
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.pages.truncate(PAGES_CONSIDERED_PER_RESULT);
    }

    /// The document's score.
    pub fn score(&self) -> Score {
        self.best + 0.2 * self.second
    }
}

/// Hits grouped by document key.
pub type DocumentGroups = HashMap<u64, DocumentHits>;

/// Collects every matching record, grouped by document key.
pub struct GroupingCollector;

/// Per-segment part of [`GroupingCollector`].
pub struct GroupingSegmentCollector {
    segment_ord: SegmentOrdinal,
    keys: tantivy::columnar::Column<u64>,
    pages: tantivy::columnar::Column<u64>,
    groups: HashMap<u64, DocumentHits>,
}

impl Collector for GroupingCollector {
    type Fruit = HashMap<u64, DocumentHits>;
    type Child = GroupingSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupingSegmentCollector> {
        Ok(GroupingSegmentCollector {
            segment_ord,
            keys: reader.fast_fields().u64(schema::DOC_KEY)?,
            pages: reader.fast_fields().u64(schema::PAGE)?,
            groups: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<u64, DocumentHits>>,
    ) -> tantivy::Result<HashMap<u64, DocumentHits>> {
        let mut merged: HashMap<u64, DocumentHits> = HashMap::new();
        for fruit in fruits {
            for (key, hits) in fruit {
                merged.entry(key).or_default().merge(hits);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for GroupingSegmentCollector {
    type Fruit = HashMap<u64, DocumentHits>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(key) = self.keys.first(doc) else {
            return;
        };
        let page = self.pages.first(doc).unwrap_or(0) as u32;
        let address = DocAddress::new(self.segment_ord, doc);
        self.groups
            .entry(key)
            .or_default()
            .add(score, page, address);
    }

    fn harvest(self) -> HashMap<u64, DocumentHits> {
        self.groups
    }
}

/// The search side of an index: reader, parser, and the document table.
pub struct SearchService {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    query_builder: QueryBuilder,
    table: RwLock<Arc<DocumentTable>>,
}

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

/// What [`SearchService::match_filter_and_sort`] found: the page hits
/// grouped by document, the facet counts, and the selected documents (positions in the
/// document table) in result order.
struct OrderedMatches {
    groups: Option<DocumentGroups>,
    facets: FacetCounts,
    selected: Vec<usize>,
}

/// A document's score in the grouped hits (0 when it has none, as in browse mode).
fn score_in(groups: Option<&DocumentGroups>, entry: &DocumentEntry) -> Score {
    groups
        .and_then(|groups| groups.get(&entry.key))
        .map_or(0.0, DocumentHits::score)
}

impl OrderedMatches {
    /// A document's relevance score (0 in browse mode).
    fn score_of(&self, entry: &DocumentEntry) -> Score {
        score_in(self.groups.as_ref(), entry)
    }
}

impl SearchService {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &std::path::Path) -> Result<SearchService> {
        let index = woo_indexer::write::open_index(dir)?;
        SearchService::from_index(index)
    }

    /// Wraps an opened index.
    pub fn from_index(index: Index) -> Result<SearchService> {
        woo_indexer::analysis::register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let query_builder = QueryBuilder::new(&fields);
        let table = build_document_table(&reader.searcher(), &fields)?;
        Ok(SearchService {
            index,
            reader,
            fields,
            query_builder,
            table: RwLock::new(Arc::new(table)),
        })
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Reloads the reader and rebuilds the document table (after a commit).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        let table = build_document_table(&self.reader.searcher(), &self.fields)?;
        let mut guard = self
            .table
            .write()
            .map_err(|_| ApiError::Internal("document table lock poisoned".to_string()))?;
        *guard = Arc::new(table);
        Ok(())
    }

    /// Reloads when the committed index changed since the last reload.
    pub fn reload_if_changed(&self) -> Result<bool> {
        let committed = self.index.searchable_segment_metas()?;
        let searcher = self.reader.searcher();
        let loaded: HashSet<String> = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                format!(
                    "{}:{}",
                    reader.segment_id().uuid_string(),
                    reader.num_deleted_docs()
                )
            })
            .collect();
        let current: HashSet<String> = committed
            .iter()
            .map(|meta| format!("{}:{}", meta.id().uuid_string(), meta.num_deleted_docs()))
            .collect();
        if loaded == current {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// The current document table.
    pub fn table(&self) -> Arc<DocumentTable> {
        match self.table.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// One document's stored metadata.
    pub fn document(&self, id: &str) -> Option<StoredDocument> {
        let table = self.table();
        let position = *table.by_id.get(id)?;
        Some(table.entries[position].stored.clone())
    }

    /// The text of page `page` of document `id`.
    pub fn page_text(&self, id: &str, page: u32) -> Result<PageText> {
        let Some(document) = self.document(id) else {
            return Err(ApiError::NotFound(format!("no document with id {id:?}")));
        };
        if page == 0 || page > document.page_count {
            return Err(ApiError::NotFound(format!(
                "document {id:?} has {} pages, no page {page}",
                document.page_count
            )));
        }
        let query = tantivy::query::BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_id, id),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_u64(self.fields.page, u64::from(page)),
                IndexRecordOption::Basic,
            )),
        ]);
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let Some(address) = addresses.into_iter().next() else {
            return Err(ApiError::NotFound(format!(
                "document {id:?} has no page {page}"
            )));
        };
        let record: TantivyDocument = searcher.doc(address)?;
        let text = record
            .get_first(self.fields.text)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string();
        let page_meta: StoredPage = record
            .get_first(self.fields.page_meta)
            .and_then(|value| value.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
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
    pub fn page_grounds(&self, id: &str) -> Result<Vec<(u32, Vec<String>)>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, id),
            IndexRecordOption::Basic,
        );
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut grounds_by_page = Vec::new();
        for address in addresses {
            let record: TantivyDocument = searcher.doc(address)?;
            let Some(page) = record
                .get_first(self.fields.page)
                .and_then(|value| value.as_u64())
            else {
                continue;
            };
            let page_meta: StoredPage = record
                .get_first(self.fields.page_meta)
                .and_then(|value| value.as_str())
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            if page > 0 && !page_meta.grounds.is_empty() {
                grounds_by_page.push((page as u32, page_meta.grounds));
            }
        }
        grounds_by_page.sort();
        Ok(grounds_by_page)
    }

    /// A page's whole text as HTML: escaped, with `<mark>` around every word whose analysed
    /// form is a term of `query` (in the stemmed or the exact text field), line breaks kept.
    /// A query that does not parse is an error; browse mode gives the plain escaped text.
    pub fn highlighted_page_text(&self, text: &str, query: &str) -> Result<String> {
        let highlighter = Highlighter::from_query(query)?;
        Ok(render_highlighted_text(text, &highlighter.ranges(text)))
    }

    /// The shown hits of one document: its best pages whose text contains a query term, in
    /// score order (at most [`HITS_PER_RESULT`]); when none does (a title-only match), its best
    /// page with its opening words.
    fn page_hits(
        &self,
        searcher: &tantivy::Searcher,
        highlighter: &Highlighter,
        document_hits: &DocumentHits,
    ) -> Result<Vec<PageHit>> {
        let mut pages = document_hits.pages.clone();
        pages.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut hits = Vec::new();
        let mut fallback: Option<PageHit> = None;
        for (_, page, address) in pages {
            let record: TantivyDocument = searcher.doc(address)?;
            let text = record
                .get_first(self.fields.text)
                .and_then(|value| value.as_str())
                .unwrap_or_default();
            match highlight::snippet(text, &highlighter.ranges(text)) {
                Some(snippet) => hits.push(PageHit { page, snippet }),
                None if fallback.is_none() => {
                    fallback = Some(PageHit {
                        page,
                        snippet: opening_words(text),
                    })
                }
                None => {}
            }
            if hits.len() == HITS_PER_RESULT {
                break;
            }
        }
        if hits.is_empty() {
            hits.extend(fallback);
        }
        Ok(hits)
    }

    /// Steps 1–4 without paging and snippets: the query (none in browse mode), the page hits
    /// grouped by document, the facet counts, and every selected document in result order.
    fn match_filter_and_sort(
        &self,
        request: &SearchRequest,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
    ) -> Result<OrderedMatches> {
        // 1–2: match and group.
        let groups: Option<DocumentGroups> = if request.is_browse() {
            None
        } else {
            let query = self.query_builder.parse(searcher, &request.query)?;
            Some(searcher.search(&*query, &GroupingCollector)?)
        };
        let matched: Vec<usize> = match &groups {
            None => (0..table.entries.len()).collect(),
            Some(groups) => groups
                .keys()
                .filter_map(|key| table.by_key.get(key).copied())
                .collect(),
        };

        // 3: date range, facets, filters.
        let in_range: Vec<usize> = matched
            .into_iter()
            .filter(|&position| date_in_range(&table.entries[position], request))
            .collect();
        let facets = count_facets(table, &in_range, request);
        let mut selected: Vec<usize> = in_range
            .into_iter()
            .filter(|&position| passes_filters(&table.entries[position], &request.filters, None))
            .collect();

        // 4: sort.
        let newest_first = |a: usize, b: usize| {
            let date_a = table.entries[a].date_days.unwrap_or(i64::MIN);
            let date_b = table.entries[b].date_days.unwrap_or(i64::MIN);
            date_b
                .cmp(&date_a)
                .then_with(|| table.entries[a].stored.id.cmp(&table.entries[b].stored.id))
        };
        match request.sort {
            SortOrder::Relevance if groups.is_some() => {
                // Each score is looked up once, not once per comparison.
                let mut scored: Vec<(Score, usize)> = selected
                    .iter()
                    .map(|&position| {
                        (
                            score_in(groups.as_ref(), &table.entries[position]),
                            position,
                        )
                    })
                    .collect();
                scored.sort_by(|&(score_a, a), &(score_b, b)| {
                    score_b.total_cmp(&score_a).then_with(|| newest_first(a, b))
                });
                selected = scored.into_iter().map(|(_, position)| position).collect();
            }
            SortOrder::Relevance | SortOrder::DateNewestFirst => {
                selected.sort_by(|&a, &b| newest_first(a, b))
            }
            SortOrder::DateOldestFirst => selected.sort_by(|&a, &b| newest_first(b, a)),
        }
        Ok(OrderedMatches {
            groups,
            facets,
            selected,
        })
    }

    /// Every document matching a validated request (its query, filters, date range and sort;
    /// `page` and `size` are ignored), in result order, without hits: at most `limit`
    /// documents, with the total number of matches. For exports and feeds.
    pub fn all_matching(
        &self,
        request: &SearchRequest,
        limit: usize,
    ) -> Result<(usize, Vec<SearchResult>)> {
        request.validate()?;
        let table = self.table();
        let searcher = self.reader.searcher();
        let matches = self.match_filter_and_sort(request, &table, &searcher)?;
        let total = matches.selected.len();
        let mut results = Vec::with_capacity(total.min(limit));
        for &position in matches.selected.iter().take(limit) {
            let entry = &table.entries[position];
            let score = matches.score_of(entry);
            results.push(to_result(&entry.stored, score, Vec::new()));
        }
        Ok((total, results))
    }

    /// Runs a validated request.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let table = self.table();
        let searcher = self.reader.searcher();
        let matches = self.match_filter_and_sort(request, &table, &searcher)?;

        // 4: page, snippets.
        let total = matches.selected.len();
        let suggestion = if total < SUGGEST_BELOW_TOTAL && !request.is_browse() {
            self.query_builder.suggest(&searcher, &request.query)
        } else {
            None
        };
        let highlighter = Highlighter::from_query(&request.query)?;
        let start = (request.page - 1) * request.size;
        let mut response = SearchResponse {
            total,
            took_ms: 0.0,
            results: Vec::new(),
            facets: BTreeMap::new(),
            facet_other: BTreeMap::new(),
            suggestion,
            total_groups: None,
            groups: None,
        };
        if request.group_by_publication {
            let publication_groups = group_by_publication(&table, &matches.selected);
            let mut shown = Vec::new();
            for group in publication_groups.iter().skip(start).take(request.size) {
                let mut results = Vec::new();
                for &position in group.positions.iter().take(DOCUMENTS_PER_GROUP) {
                    results.push(self.result_with_hits(
                        &table,
                        &searcher,
                        &matches,
                        &highlighter,
                        position,
                    )?);
                }
                let first = &table.entries[group.positions[0]].stored;
                shown.push(PublicationGroup {
                    publication_id: first.publication_id.clone(),
                    publication_title: first.publication_title.clone(),
                    matched_documents: group.positions.len(),
                    results,
                });
            }
            response.total_groups = Some(publication_groups.len());
            response.groups = Some(shown);
        } else {
            for &position in matches.selected.iter().skip(start).take(request.size) {
                response.results.push(self.result_with_hits(
                    &table,
                    &searcher,
                    &matches,
                    &highlighter,
                    position,
                )?);
            }
        }
        response.facets = matches.facets.listed;
        response.facet_other = matches.facets.other;
        response.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(response)
    }

    /// The result of the document at `position` of the table, with its highlighted page hits.
    fn result_with_hits(
        &self,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        matches: &OrderedMatches,
        highlighter: &Highlighter,
        position: usize,
    ) -> Result<SearchResult> {
        let entry = &table.entries[position];
        let mut hits = Vec::new();
        if let Some(groups) = &matches.groups {
            if let Some(document_hits) = groups.get(&entry.key) {
                hits = self.page_hits(searcher, highlighter, document_hits)?;
            }
        }
        Ok(to_result(&entry.stored, matches.score_of(entry), hits))
    }
}

/// Keys `GET /api/complaints/stats` groups by.
pub const COMPLAINT_GROUP_KEYS: &[&str] = &["publisher", "outcome", "year", "subject"];

/// One group of complaint judgements and its count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComplaintGroup {
    /// The value of each group key, in the order asked (`null` when a record has none).
    pub key: BTreeMap<String, Option<String>>,
    /// Complaint judgements in the group.
    pub count: usize,
}

/// Counts complaint judgements (category `2l`) grouped by `keys` (each one of
/// [`COMPLAINT_GROUP_KEYS`]), largest groups first.
pub fn complaint_stats(table: &DocumentTable, keys: &[String]) -> Result<Vec<ComplaintGroup>> {
    if keys.is_empty() {
        return Err(ApiError::invalid(
            "group",
            format!(
                "group must name one or more of {}",
                COMPLAINT_GROUP_KEYS.join(", ")
            ),
        ));
    }
    for key in keys {
        if !COMPLAINT_GROUP_KEYS.contains(&key.as_str()) {
            return Err(ApiError::invalid(
                "group",
                format!(
                    "cannot group by {key:?}; group by {}",
                    COMPLAINT_GROUP_KEYS.join(", ")
                ),
            ));
        }
    }
    let mut counts: BTreeMap<Vec<Option<String>>, usize> = BTreeMap::new();
    for entry in &table.entries {
        if entry.stored.category.as_deref() != Some(woo_indexer::complaint::COMPLAINT_CATEGORY) {
            continue;
        }
        let values: Vec<Option<String>> = keys
            .iter()
            .map(|key| entry.facet(key).and_then(|values| values.first().cloned()))
            .collect();
        *counts.entry(values).or_default() += 1;
    }
    let mut groups: Vec<ComplaintGroup> = counts
        .into_iter()
        .map(|(values, count)| ComplaintGroup {
            key: keys.iter().cloned().zip(values).collect(),
            count,
        })
        .collect();
    groups.sort_by_key(|group| std::cmp::Reverse(group.count));
    Ok(groups)
}

/// Escapes `text` and wraps the byte `ranges` (in any order, possibly overlapping) in `<mark>`.
pub fn render_highlighted_text(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut sorted: Vec<std::ops::Range<usize>> = ranges
        .iter()
        .filter(|range| {
            range.start < range.end
                && range.end <= text.len()
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end)
        })
        .cloned()
        .collect();
    sorted.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut html = String::with_capacity(text.len() + 16 * merged.len());
    let mut cursor = 0;
    for range in merged {
        html.push_str(&html_escape(&text[cursor..range.start]));
        html.push_str("<mark>");
        html.push_str(&html_escape(&text[range.start..range.end]));
        html.push_str("</mark>");
        cursor = range.end;
    }
    html.push_str(&html_escape(&text[cursor..]));
    html
}

/// The first words of a page, escaped, for a hit without highlights.
fn opening_words(text: &str) -> String {
    let beginning: String = text.chars().take(200).collect();
    html_escape(beginning.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn to_result(stored: &StoredDocument, score: Score, hits: Vec<PageHit>) -> SearchResult {
    SearchResult {
        id: stored.id.clone(),
        title: stored.title.clone(),
        source: stored.source.clone(),
        publisher: stored.publisher.clone(),
        category: stored.category.clone(),
        category_label: stored
            .category
            .as_deref()
            .and_then(woo_indexer::woo::category_by_any)
            .map(|category| category.label.to_string()),
        document_type: stored.document_type.clone(),
        date: stored.date.clone(),
        judgement: stored.judgement.clone(),
        grounds: stored.grounds.clone(),
        decision_date: stored.decision_date.clone(),
        request_date: stored.request_date.clone(),
        decision: stored.decision.clone(),
        articles: stored.articles.clone(),
        publication_id: stored.publication_id.clone(),
        publication_title: stored.publication_title.clone(),
        page_count: stored.page_count,
        score,
        hits,
    }
}

fn date_in_range(entry: &DocumentEntry, request: &SearchRequest) -> bool {
    days_in_range(entry.date_days, request.from_days, request.to_days)
        && days_in_range(
            entry.decision_days,
            request.decided_from_days,
            request.decided_to_days,
        )
}

/// Whether `days` lies in `from..=to`; without bounds everything passes, with bounds a missing
/// date fails.
fn days_in_range(days: Option<i64>, from: Option<i64>, to: Option<i64>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(days) = days else {
        return false;
    };
    if from.is_some_and(|from| days < from) {
        return false;
    }
    if to.is_some_and(|to| days > to) {
        return false;
    }
    true
}

/// Whether a document passes every facet selection except `skip_facet`.
fn passes_filters(
    entry: &DocumentEntry,
    filters: &BTreeMap<String, Vec<String>>,
    skip_facet: Option<&str>,
) -> bool {
    for (name, selected) in filters {
        if selected.is_empty() || Some(name.as_str()) == skip_facet {
            continue;
        }
        let Some(values) = entry.facet(name) else {
            return false;
        };
        if !values.iter().any(|value| selected.contains(value)) {
            return false;
        }
    }
    true
}

/// Facet counts and what the capped lists leave out.
struct FacetCounts {
    listed: BTreeMap<String, Vec<FacetCount>>,
    other: BTreeMap<String, OtherFacetValues>,
}

/// Facet counts: for each facet, over documents passing every other facet's selection. Lists
/// are cut to the request's facet size (selected values always kept); histograms are whole.
fn count_facets(
    table: &DocumentTable,
    positions: &[usize],
    request: &SearchRequest,
) -> FacetCounts {
    let filters = &request.filters;
    let facet_size = if request.facet_size == 0 {
        DEFAULT_FACET_SIZE
    } else {
        request.facet_size
    };
    let mut facets = FacetCounts {
        listed: BTreeMap::new(),
        other: BTreeMap::new(),
    };
    let months_wanted = request.month_histogram || filters.contains_key("month");
    // Which selections each document fails, once per document: bit i is FACET_NAMES[i].
    let selections: Vec<(usize, &Vec<String>)> = filters
        .iter()
        .filter(|(_, selected)| !selected.is_empty())
        .filter_map(|(name, selected)| facet_index(name).map(|index| (index, selected)))
        .collect();
    let failed: Vec<u32> = positions
        .iter()
        .map(|&position| {
            let entry = &table.entries[position];
            let mut mask = 0u32;
            for &(index, selected) in &selections {
                let values = entry.facet_values.get(index).map_or(&[][..], Vec::as_slice);
                if !values.iter().any(|value| selected.contains(value)) {
                    mask |= 1 << index;
                }
            }
            mask
        })
        .collect();
    // One pass over the documents (each entry read once), counting every facet.
    let mut counts_by_facet: Vec<HashMap<&str, usize>> = vec![HashMap::new(); FACET_NAMES.len()];
    for (&position, &mask) in positions.iter().zip(&failed) {
        let entry = &table.entries[position];
        for (index, counts) in counts_by_facet.iter_mut().enumerate() {
            // Counted with this facet's own selection left out.
            if mask & !(1u32 << index) != 0 {
                continue;
            }
            for value in entry.facet_values.get(index).map_or(&[][..], Vec::as_slice) {
                *counts.entry(value.as_str()).or_default() += 1;
            }
        }
    }
    for (&name, counts) in FACET_NAMES.iter().zip(counts_by_facet) {
        if name == "month" && !months_wanted {
            continue;
        }
        let selected = filters.get(name).cloned().unwrap_or_default();
        let mut listed: Vec<FacetCount> = counts
            .into_iter()
            .map(|(value, count)| FacetCount {
                value: value.to_string(),
                label: facet_label(name, value),
                count,
                selected: selected.iter().any(|s| s == value),
            })
            .collect();
        // Selected values stay listed even with a zero count.
        for value in &selected {
            if !listed.iter().any(|facet| &facet.value == value) {
                listed.push(FacetCount {
                    value: value.clone(),
                    label: facet_label(name, value),
                    count: 0,
                    selected: true,
                });
            }
        }
        if HISTOGRAM_FACETS.contains(&name) {
            listed.sort_by(|a, b| b.value.cmp(&a.value));
            facets.listed.insert(name.to_string(), listed);
            continue;
        }
        // Selected values first so the cut never drops them, then by count.
        listed.sort_by(|a, b| {
            b.selected
                .cmp(&a.selected)
                .then_with(|| b.count.cmp(&a.count))
                .then_with(|| a.value.cmp(&b.value))
        });
        let keep = facet_size.max(selected.len());
        if listed.len() > keep {
            let left_out = listed.split_off(keep);
            facets.other.insert(
                name.to_string(),
                OtherFacetValues {
                    values: left_out.len(),
                    count: left_out.iter().map(|facet| facet.count).sum(),
                },
            );
        }
        listed.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        facets.listed.insert(name.to_string(), listed);
    }
    facets
}

fn facet_label(facet: &str, value: &str) -> Option<String> {
    match facet {
        "category" => woo_indexer::woo::category_by_any(value).map(|c| c.label.to_string()),
        "ground" => Some(woo_indexer::woo::ground_facet_label(value)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_page_highlighting_merges_overlaps_and_escapes() {
        let text = "a <b> mondkapjes\nmondkapjes";
        let html = render_highlighted_text(text, &[17..27, 6..16, 6..12, 40..50]);
        assert_eq!(
            html,
            "a &lt;b&gt; <mark>mondkapjes</mark>\n<mark>mondkapjes</mark>"
        );
    }

    #[test]
    fn document_score_rewards_a_second_good_page() {
        let mut one = DocumentHits::default();
        one.add(2.0, 1, DocAddress::new(0, 1));
        let mut two = DocumentHits::default();
        two.add(2.0, 1, DocAddress::new(0, 1));
        two.add(1.0, 2, DocAddress::new(0, 2));
        assert!(two.score() > one.score());
    }
}
