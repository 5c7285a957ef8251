//! SearchRequest -> query + grouping + facets + snippets -> SearchResponse (no axum types).
//!
//! How a search runs ([`SearchService::search`]):
//! 1. the query text is validated and parsed ([`crate::query`]); an empty `q` or `*` is browse
//!    mode (every document, newest first);
//! 2. every matching record (page or document record) is collected with its score and grouped
//!    by document ([`GroupingCollector`]: a record's document is an array read, the table keeps
//!    record id -> table position per segment); a document's score is its best page's score
//!    plus a fifth of its second best, so several good pages beat one;
//! 3. facet filters and the date range are applied in memory on the [`DocumentTable`] (one entry
//!    per document, rebuilt at every reload); facet counts count documents, and each facet's
//!    counts are computed with that facet's own selection left out (OR within a facet, AND
//!    across facets);
//! 4. results are sorted (relevance, then date, newest first, then id; or by date; only the
//!    shown window is fully sorted), paged, and the best pages of each shown result get a
//!    snippet with `<mark>` highlights.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Executor, Index, IndexReader, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};
use woo_indexer::schema::{self, Fields};
use woo_indexer::{StoredDocument, StoredPage};

use crate::error::{ApiError, Result};
use crate::highlight::{self, Highlighter};
use crate::query::QueryBuilder;
use crate::read_directory::ReadDirectory;

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
    /// Relevance score (0 in browse mode and in a sort by date, which computes none).
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
}

/// Position of a facet in [`FACET_NAMES`].
fn facet_index(name: &str) -> Option<usize> {
    FACET_NAMES.iter().position(|facet| *facet == name)
}

/// One value of one facet, numbered by the table.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// Position of the facet in [`FACET_NAMES`].
    pub facet: usize,
    /// The value.
    pub value: String,
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
    /// Every facet value of the documents, by ordinal.
    pub facet_values: Vec<FacetValue>,
    /// The facet position of each ordinal (`facet_values[o].facet`, packed for the counting
    /// loop).
    facet_of_ordinal: Vec<u8>,
    /// The facet values of every document as ordinals, document after document: facet
    /// counting and filtering read every facet of every matching document, and small integers
    /// in one array index a counter array where strings in each entry had to be hashed.
    ordinals: Vec<u32>,
    /// Where each document's ordinals start in `ordinals` (one more than there are entries).
    ordinal_starts: Vec<u32>,
    /// (facet position, value) -> ordinal in `facet_values`.
    ordinal_of: HashMap<(usize, String), u32>,
    /// For each segment of the searcher the table was built from: record id -> position in
    /// `entries`, so that collecting a hit is an array read instead of a hash lookup.
    segment_positions: HashMap<tantivy::index::SegmentId, Arc<Vec<u32>>>,
    /// Each document's place in the newest-first order (date descending, then id), so that
    /// sorting compares two integers: comparing dates and ids in the entries was a fifth of
    /// a fuzzy query at 1M pages, whose equal scores all fall through to that order.
    newest_first_rank: Vec<u32>,
}

impl DocumentTable {
    /// The facet value ordinals of the document at `position`.
    fn ordinals_of(&self, position: usize) -> &[u32] {
        let start = self.ordinal_starts[position] as usize;
        let end = self.ordinal_starts[position + 1] as usize;
        &self.ordinals[start..end]
    }

    /// The values of facet `name` of the document at `position` (empty for an unknown facet).
    pub fn facet(&self, position: usize, name: &str) -> Vec<&str> {
        let Some(index) = facet_index(name) else {
            return Vec::new();
        };
        self.ordinals_of(position)
            .iter()
            .map(|&ordinal| &self.facet_values[ordinal as usize])
            .filter(|value| value.facet == index)
            .map(|value| value.value.as_str())
            .collect()
    }

    /// The ordinal of a facet value, numbering it when new.
    fn intern(&mut self, facet: usize, value: String) -> u32 {
        if let Some(&ordinal) = self.ordinal_of.get(&(facet, value.clone())) {
            return ordinal;
        }
        let ordinal = self.facet_values.len() as u32;
        self.facet_of_ordinal.push(facet as u8);
        self.facet_values.push(FacetValue {
            facet,
            value: value.clone(),
        });
        self.ordinal_of.insert((facet, value), ordinal);
        ordinal
    }
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
        if table.ordinal_starts.is_empty() {
            table.ordinal_starts.push(0);
        }
        for (facet, values) in facet_values_of(&stored).into_iter().enumerate() {
            for value in values {
                let ordinal = table.intern(facet, value);
                table.ordinals.push(ordinal);
            }
        }
        table.ordinal_starts.push(table.ordinals.len() as u32);
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
            stored,
        });
    }
    for reader in searcher.segment_readers() {
        let positions = positions_of_records(reader, &table.by_key)?;
        table
            .segment_positions
            .insert(reader.segment_id(), Arc::new(positions));
    }
    table.newest_first_rank = newest_first_ranks(&table.entries);
    Ok(table)
}

/// The place of each entry in the newest-first order: date descending (undated last), then
/// id ascending.
fn newest_first_ranks(entries: &[DocumentEntry]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let date_a = entries[a].date_days.unwrap_or(i64::MIN);
        let date_b = entries[b].date_days.unwrap_or(i64::MIN);
        date_b
            .cmp(&date_a)
            .then_with(|| entries[a].stored.id.cmp(&entries[b].stored.id))
    });
    let mut ranks = vec![0u32; entries.len()];
    for (rank, position) in order.into_iter().enumerate() {
        ranks[position] = rank as u32;
    }
    ranks
}

/// One matching record: its document's position in the table, score, page and address.
#[derive(Debug, Clone, Copy)]
pub struct RecordHit {
    position: u32,
    page: u32,
    score: Score,
    address: DocAddress,
}

/// Every matching record of a query, grouped by document: per position in the document table
/// the best and second best record score, and the matching page records.
#[derive(Debug, Default)]
pub struct MatchedRecords {
    /// Best record score by table position (`NEG_INFINITY`: no match).
    best: Vec<Score>,
    /// Second best record score by table position (`NEG_INFINITY`: none).
    second: Vec<Score>,
    /// Matched documents (table positions), in the order first seen.
    positions: Vec<usize>,
    /// Matching page records (document records only count for the score).
    page_hits: Vec<RecordHit>,
}

impl MatchedRecords {
    /// No matches yet, over a table of `documents` entries.
    fn new(documents: usize) -> MatchedRecords {
        MatchedRecords {
            best: vec![Score::NEG_INFINITY; documents],
            second: vec![Score::NEG_INFINITY; documents],
            positions: Vec::new(),
            page_hits: Vec::new(),
        }
    }

    /// Adds one document's run of matching records in a segment: its best and second best
    /// score (its best pages go to `page_hits` separately).
    fn add_run(&mut self, run: &DocumentRun) {
        let position = run.position as usize;
        let Some(best) = self.best.get(position).copied() else {
            return;
        };
        if best == Score::NEG_INFINITY {
            self.positions.push(position);
        }
        for score in [run.best, run.second] {
            if score > self.best[position] {
                self.second[position] = self.best[position];
                self.best[position] = score;
            } else if score > self.second[position] {
                self.second[position] = score;
            }
        }
    }

    /// The score of the document at `position`: its best record's score plus a fifth of its
    /// second best, so several good pages beat one (0 when it did not match).
    pub fn score(&self, position: usize) -> Score {
        let best = self
            .best
            .get(position)
            .copied()
            .unwrap_or(Score::NEG_INFINITY);
        if best == Score::NEG_INFINITY {
            return 0.0;
        }
        let second = self.second[position];
        if second == Score::NEG_INFINITY {
            return best;
        }
        best + 0.2 * second
    }

    /// The best matching pages (score, page number, address) of each document at `positions`,
    /// best first, at most [`PAGES_CONSIDERED_PER_RESULT`] each; one pass over the hits.
    fn best_pages(&self, positions: &[usize]) -> PagesByPosition {
        let mut pages: PagesByPosition = positions
            .iter()
            .map(|&position| (position, Vec::new()))
            .collect();
        // Most hits belong to other documents: a flag per table position skips them without
        // hashing.
        let mut wanted = vec![false; self.best.len()];
        for &position in positions {
            if let Some(flag) = wanted.get_mut(position) {
                *flag = true;
            }
        }
        for hit in &self.page_hits {
            if !wanted[hit.position as usize] {
                continue;
            }
            let Some(list) = pages.get_mut(&(hit.position as usize)) else {
                continue;
            };
            list.push((hit.score, hit.page, hit.address));
            if list.len() > 4 * PAGES_CONSIDERED_PER_RESULT {
                sort_pages_best_first(list);
                list.truncate(PAGES_CONSIDERED_PER_RESULT);
            }
        }
        for list in pages.values_mut() {
            sort_pages_best_first(list);
            list.truncate(PAGES_CONSIDERED_PER_RESULT);
        }
        pages
    }
}

/// Best score first; equal scores by page number.
fn sort_pages_best_first(pages: &mut [(Score, u32, DocAddress)]) {
    pages.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// A record that belongs to no live document of the table (deleted or replaced).
const NO_POSITION: u32 = u32::MAX;

/// The table position of every record of a segment (record id -> position, [`NO_POSITION`]
/// for deleted records and records of unknown documents).
fn positions_of_records(
    reader: &SegmentReader,
    by_key: &HashMap<u64, usize>,
) -> tantivy::Result<Vec<u32>> {
    let keys = reader.fast_fields().u64(schema::DOC_KEY)?;
    let alive = reader.alive_bitset();
    let mut positions = vec![NO_POSITION; reader.max_doc() as usize];
    for doc in 0..reader.max_doc() {
        if alive.is_some_and(|bitset| !bitset.is_alive(doc)) {
            continue;
        }
        let Some(key) = keys.first(doc) else {
            continue;
        };
        if let Some(&position) = by_key.get(&key) {
            positions[doc as usize] = position as u32;
        }
    }
    Ok(positions)
}

/// One document's consecutive matching records in a segment (a document's records are
/// added together, so they mostly follow each other): its best and second best score, and
/// where its best pages lie in the segment's page list.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRun {
    position: u32,
    best: Score,
    second: Score,
}

/// What a segment collector found: the documents' runs and their best pages.
#[derive(Debug, Default)]
pub struct SegmentMatches {
    runs: Vec<DocumentRun>,
    pages: Vec<RecordHit>,
}

/// Collects every matching record, grouped by document (its position in `table`). The
/// grouping happens in the segment collectors (in parallel, one segment per thread): each
/// keeps per run of records of one document only its scores and best pages, so the merge
/// handles one entry per document instead of one per matching page.
pub struct GroupingCollector<'a> {
    /// The document table the positions refer to.
    pub table: &'a DocumentTable,
    /// Whether scores are computed (not needed for a sort by date).
    pub scoring: bool,
}

/// Per-segment part of [`GroupingCollector`].
pub struct GroupingSegmentCollector {
    segment_ord: SegmentOrdinal,
    positions: Arc<Vec<u32>>,
    pages_column: tantivy::columnar::Column<u64>,
    found: SegmentMatches,
    current: Option<DocumentRun>,
    current_pages: Vec<RecordHit>,
}

impl GroupingSegmentCollector {
    /// Ends the current run: keeps its best pages.
    fn flush(&mut self) {
        let Some(run) = self.current.take() else {
            return;
        };
        keep_best_pages(&mut self.current_pages);
        self.found.pages.append(&mut self.current_pages);
        self.found.runs.push(run);
    }
}

/// Keeps the [`PAGES_CONSIDERED_PER_RESULT`] best of one document's page hits, best first.
fn keep_best_pages(pages: &mut Vec<RecordHit>) {
    pages.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.page.cmp(&b.page)));
    pages.truncate(PAGES_CONSIDERED_PER_RESULT);
}

impl Collector for GroupingCollector<'_> {
    type Fruit = MatchedRecords;
    type Child = GroupingSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupingSegmentCollector> {
        // The table maps the segments of the index it was read from; a segment it does not
        // know (a commit in between) is mapped now.
        let positions = match self.table.segment_positions.get(&reader.segment_id()) {
            Some(positions) => positions.clone(),
            None => Arc::new(positions_of_records(reader, &self.table.by_key)?),
        };
        Ok(GroupingSegmentCollector {
            segment_ord,
            positions,
            pages_column: reader.fast_fields().u64(schema::PAGE)?,
            found: SegmentMatches::default(),
            current: None,
            current_pages: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentMatches>) -> tantivy::Result<MatchedRecords> {
        let mut matched = MatchedRecords::new(self.table.entries.len());
        for fruit in fruits {
            for run in &fruit.runs {
                matched.add_run(run);
            }
            matched.page_hits.extend(fruit.pages);
        }
        Ok(matched)
    }
}

impl SegmentCollector for GroupingSegmentCollector {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, score: Score) {
        let position = self
            .positions
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_POSITION);
        if position == NO_POSITION {
            return;
        }
        if self.current.is_some_and(|run| run.position != position) {
            self.flush();
        }
        let run = self.current.get_or_insert(DocumentRun {
            position,
            best: Score::NEG_INFINITY,
            second: Score::NEG_INFINITY,
        });
        if score > run.best {
            run.second = run.best;
            run.best = score;
        } else if score > run.second {
            run.second = score;
        }
        let page = self.pages_column.first(doc).unwrap_or(0) as u32;
        if page == 0 {
            return;
        }
        self.current_pages.push(RecordHit {
            position,
            page,
            score,
            address: DocAddress::new(self.segment_ord, doc),
        });
        if self.current_pages.len() >= 4 * PAGES_CONSIDERED_PER_RESULT {
            keep_best_pages(&mut self.current_pages);
        }
    }

    fn harvest(mut self) -> SegmentMatches {
        self.flush();
        self.found
    }
}

/// The search side of an index: reader, parser, and the document table.
pub struct SearchService {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    query_builder: QueryBuilder,
    table: RwLock<Arc<DocumentTable>>,
    /// The index directory, when the index lives in one (see [`SearchService::load_table`]).
    dir: Option<std::path::PathBuf>,
    /// Searches started and not finished, waiting ones included (see
    /// [`SearchService::start_search`]).
    in_flight: std::sync::atomic::AtomicUsize,
    /// Searches running now, at most [`LoadLimits::searches_at_once`] (the rest wait).
    running: std::sync::Mutex<usize>,
    /// Signalled when a running search ends.
    search_ended: std::sync::Condvar,
    /// How many searches run at once (one per core), how many may wait, and how long a
    /// search may take.
    limits: LoadLimits,
}

/// The admission limits of a [`SearchService`] (RELIABILITY.md §4.3): at most
/// `searches_at_once` searches run, at most `waiting` more wait for a place (beyond that a
/// search is refused at once: 503 `overloaded`), and a search that has not got a place or
/// has not finished matching within `budget` is given up (503 `search_timeout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Searches running at once.
    pub searches_at_once: usize,
    /// Searches waiting for a place.
    pub waiting: usize,
    /// Time a search may take, waiting included.
    pub budget: Duration,
}

/// Searches that may wait for a place by default.
pub const DEFAULT_WAITING_SEARCHES: usize = 64;
/// A search's default time budget, waiting included.
pub const DEFAULT_SEARCH_BUDGET: Duration = Duration::from_secs(2);

impl Default for LoadLimits {
    /// One search per core, 64 waiting, 2 s.
    fn default() -> LoadLimits {
        LoadLimits {
            searches_at_once: std::thread::available_parallelism().map_or(2, |cores| cores.get()),
            waiting: DEFAULT_WAITING_SEARCHES,
            budget: DEFAULT_SEARCH_BUDGET,
        }
    }
}

/// A started search: counted in [`SearchService::in_flight`] and holding one of the running
/// places while it lives (see [`SearchService::start_search`]).
pub struct SearchPlace<'a> {
    service: &'a SearchService,
    /// Whether no other search was started when this one started.
    alone: bool,
    /// When the search's budget runs out.
    deadline: Instant,
}

impl SearchPlace<'_> {
    /// A 503 `search_timeout` when the search's budget has run out.
    fn check_deadline(&self) -> Result<()> {
        if Instant::now() >= self.deadline {
            return Err(ApiError::SearchTimeout {
                budget_ms: self.service.limits.budget.as_millis(),
            });
        }
        Ok(())
    }
}

impl Drop for SearchPlace<'_> {
    fn drop(&mut self) {
        let service = self.service;
        service
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        let mut running = service.lock_running();
        *running = running.saturating_sub(1);
        service.search_ended.notify_one();
    }
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

/// What [`SearchService::match_filter_and_sort`] found: the matching records grouped by
/// document, the facet counts, how many documents were selected, and the first of them
/// (positions in the document table) in result order.
struct OrderedMatches {
    /// Whether the search runs alone (see [`SearchService::start_search`]).
    alone: bool,
    matched: Option<MatchedRecords>,
    facets: FacetCounts,
    total: usize,
    selected: Vec<usize>,
}

impl OrderedMatches {
    /// The relevance score of the document at `position` (0 in browse mode).
    fn score_of(&self, position: usize) -> Score {
        self.matched
            .as_ref()
            .map_or(0.0, |matched| matched.score(position))
    }
}

impl SearchService {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &std::path::Path) -> Result<SearchService> {
        let index = woo_indexer::write::open_index(dir)?;
        SearchService::with_directory(index, Some(dir.to_path_buf()))
    }

    /// Wraps an opened index.
    pub fn from_index(index: Index) -> Result<SearchService> {
        SearchService::with_directory(index, None)
    }

    /// Wraps an opened index living in `dir` (if any).
    fn with_directory(mut index: Index, dir: Option<std::path::PathBuf>) -> Result<SearchService> {
        woo_indexer::analysis::register_analyzers(&index);
        // The segments of a query are searched in parallel, a thread per core: on 2 cores a
        // query over a large index (several segments) takes about half the time.
        index.set_default_multithread_executor()?;
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let query_builder = QueryBuilder::new(&fields);
        let service = SearchService {
            index,
            reader,
            fields,
            query_builder,
            table: RwLock::new(Arc::new(DocumentTable::default())),
            dir,
            in_flight: std::sync::atomic::AtomicUsize::new(0),
            running: std::sync::Mutex::new(0),
            search_ended: std::sync::Condvar::new(),
            limits: LoadLimits::default(),
        };
        let table = service.load_table()?;
        service.replace_table(table)?;
        Ok(service)
    }

    /// Builds the document table of the committed index. Reading every document record
    /// touches most of the doc store (document records lie between their pages): through a
    /// mapping those file pages count in the server's memory (1.6 GB at 1M pages). So when
    /// the index lives in a directory, the table is read through a private opening that reads
    /// files instead of mapping them ([`ReadDirectory`]); the serving reader maps only the
    /// blocks that snippets read.
    fn load_table(&self) -> Result<DocumentTable> {
        let Some(dir) = &self.dir else {
            return build_document_table(&self.reader.searcher(), &self.fields);
        };
        let private = Index::open(ReadDirectory::open(dir)?)?;
        let reader: IndexReader = private
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        build_document_table(&reader.searcher(), &self.fields)
    }

    /// Makes `table` the current document table.
    fn replace_table(&self, table: DocumentTable) -> Result<()> {
        let mut guard = self
            .table
            .write()
            .map_err(|_| ApiError::Internal("document table lock poisoned".to_string()))?;
        *guard = Arc::new(table);
        Ok(())
    }

    /// The same service with other admission limits.
    pub fn with_load_limits(mut self, limits: LoadLimits) -> SearchService {
        self.limits = limits;
        self
    }

    /// The count of running searches, locked (a panic while it was held changes nothing in
    /// a plain counter, so a poisoned lock is used as it is).
    fn lock_running(&self) -> std::sync::MutexGuard<'_, usize> {
        match self.running.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Starts a search: waits until fewer than [`LoadLimits::searches_at_once`] searches run,
    /// then returns its place, which knows whether it is the only search started. A search
    /// alone uses every core (segments and snippets in parallel); under concurrent load each
    /// search runs on one thread, one per core, and the others wait their turn: sharing the
    /// pools between 64 searches made the slowest wait behind all others (100k pages, 64
    /// connections: p99 3.6 s), and 64 searches at once held 64 searches' memory (1M pages:
    /// 1.0 GB RSS).
    ///
    /// Refused at once with 503 `overloaded` when [`LoadLimits::waiting`] searches already
    /// wait; 503 `search_timeout` when no place came free within [`LoadLimits::budget`].
    pub fn start_search(&self) -> Result<SearchPlace<'_>> {
        let deadline = Instant::now() + self.limits.budget;
        let mut running = self.lock_running();
        let in_flight = self.in_flight.load(std::sync::atomic::Ordering::SeqCst);
        let waiting = in_flight.saturating_sub(*running);
        if *running >= self.limits.searches_at_once && waiting >= self.limits.waiting {
            return Err(ApiError::Overloaded {
                waiting: self.limits.waiting,
            });
        }
        let started_before = self
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        while *running >= self.limits.searches_at_once {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.in_flight
                    .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                return Err(ApiError::SearchTimeout {
                    budget_ms: self.limits.budget.as_millis(),
                });
            }
            running = match self.search_ended.wait_timeout(running, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        *running += 1;
        Ok(SearchPlace {
            service: self,
            alone: started_before == 0,
            deadline,
        })
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Reloads the reader and rebuilds the document table (after a commit).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        let table = self.load_table()?;
        self.replace_table(table)
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
        pages: &[(Score, u32, DocAddress)],
    ) -> Result<Vec<PageHit>> {
        let mut hits = Vec::new();
        for &(_, page, address) in pages {
            let record: TantivyDocument = searcher.doc(address)?;
            let text = record
                .get_first(self.fields.text)
                .and_then(|value| value.as_str())
                .unwrap_or_default();
            let Some(snippet) = highlight::snippet(text, &highlighter.ranges(text)) else {
                // Every page of a document carries its title and identifiers, so a page whose
                // text matched scores above every page that matched only through those:
                // the pages after the first without a mark (best first) have none either.
                // Stopping here spares reading and analysing them (a title match on a long
                // document used to analyse 12 pages to find no snippet).
                if hits.is_empty() {
                    hits.push(PageHit {
                        page,
                        snippet: opening_words(text),
                    });
                }
                break;
            };
            hits.push(PageHit { page, snippet });
            if hits.len() == HITS_PER_RESULT {
                break;
            }
        }
        Ok(hits)
    }

    /// Steps 1–4 without snippets: the query (none in browse mode), the matching records
    /// grouped by document, the facet counts, the number of selected documents, and the first
    /// `needed` of them in result order (only those are fully sorted).
    fn match_filter_and_sort(
        &self,
        request: &SearchRequest,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        needed: usize,
        alone: bool,
    ) -> Result<OrderedMatches> {
        // 1–2: match and group.
        let matched: Option<MatchedRecords> = if request.is_browse() {
            None
        } else {
            let query = self.query_builder.parse(searcher, &request.query)?;
            let query = narrow_to_countable(query, &self.fields, &request.filters);
            let collector = GroupingCollector {
                table,
                scoring: request.sort == SortOrder::Relevance,
            };
            let scoring = if collector.scoring {
                EnableScoring::enabled_from_searcher(searcher)
            } else {
                EnableScoring::disabled_from_searcher(searcher)
            };
            let executor = if alone {
                self.index.search_executor()
            } else {
                &Executor::SingleThread
            };
            Some(searcher.search_with_executor(&*query, &collector, executor, scoring)?)
        };
        let candidates: Vec<usize> = match &matched {
            None => (0..table.entries.len()).collect(),
            Some(matched) => matched.positions.clone(),
        };

        // 3: date range, facets, filters.
        let has_date_range = request.from_days.is_some()
            || request.to_days.is_some()
            || request.decided_from_days.is_some()
            || request.decided_to_days.is_some();
        let in_range: Vec<usize> = if has_date_range {
            candidates
                .into_iter()
                .filter(|&position| date_in_range(&table.entries[position], request))
                .collect()
        } else {
            candidates
        };
        let (facets, failed) = count_facets(table, &in_range, request);
        let mut selected: Vec<usize> = in_range
            .iter()
            .zip(&failed)
            .filter(|(_, &mask)| mask == 0)
            .map(|(&position, _)| position)
            .collect();
        let total = selected.len();

        // 4: sort the first `needed` (a partial selection, then a sort of those).
        let rank = &table.newest_first_rank;
        let newest_first = |a: usize, b: usize| rank[a].cmp(&rank[b]);
        match (&matched, request.sort) {
            (Some(matched), SortOrder::Relevance) => {
                // Each score and rank is looked up once, not once per comparison.
                let mut scored: Vec<(Score, u32, usize)> = selected
                    .iter()
                    .map(|&position| (matched.score(position), rank[position], position))
                    .collect();
                sort_first(
                    &mut scored,
                    needed,
                    |&(score_a, rank_a, _), &(score_b, rank_b, _)| {
                        score_b.total_cmp(&score_a).then(rank_a.cmp(&rank_b))
                    },
                );
                selected = scored
                    .into_iter()
                    .map(|(_, _, position)| position)
                    .collect();
            }
            (_, SortOrder::Relevance | SortOrder::DateNewestFirst) => {
                sort_first(&mut selected, needed, |&a, &b| newest_first(a, b))
            }
            (_, SortOrder::DateOldestFirst) => {
                sort_first(&mut selected, needed, |&a, &b| newest_first(b, a))
            }
        }
        Ok(OrderedMatches {
            alone,
            matched,
            facets,
            total,
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
        let place = self.start_search()?;
        let matches = self.match_filter_and_sort(request, &table, &searcher, limit, place.alone)?;
        let total = matches.total;
        let mut results = Vec::with_capacity(total.min(limit));
        for &position in matches.selected.iter().take(limit) {
            let entry = &table.entries[position];
            let score = matches.score_of(position);
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
        let start = (request.page - 1) * request.size;
        // Grouping by publication orders every selected document; a plain page only its window.
        let needed = if request.group_by_publication {
            usize::MAX
        } else {
            start + request.size
        };
        let place = self.start_search()?;
        let matches =
            self.match_filter_and_sort(request, &table, &searcher, needed, place.alone)?;
        // Matching is the part that grows with the index; past the budget, give up before
        // building snippets.
        place.check_deadline()?;

        // 4: page, snippets.
        let total = matches.total;
        let suggestion = if total < SUGGEST_BELOW_TOTAL && !request.is_browse() {
            self.query_builder.suggest(&searcher, &request.query)
        } else {
            None
        };
        let highlighter = Highlighter::from_query(&request.query)?;
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
            let shown_groups: Vec<&PositionsOfPublication> = publication_groups
                .iter()
                .skip(start)
                .take(request.size)
                .collect();
            let shown_positions: Vec<usize> = shown_groups
                .iter()
                .flat_map(|group| group.positions.iter().take(DOCUMENTS_PER_GROUP).copied())
                .collect();
            let mut results_by_position: HashMap<usize, SearchResult> = shown_positions
                .iter()
                .copied()
                .zip(self.results_with_hits(
                    &table,
                    &searcher,
                    &matches,
                    &highlighter,
                    &shown_positions,
                )?)
                .collect();
            let mut shown = Vec::new();
            for group in shown_groups {
                let mut results = Vec::new();
                for position in group.positions.iter().take(DOCUMENTS_PER_GROUP) {
                    results.extend(results_by_position.remove(position));
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
            let shown_positions: Vec<usize> = matches
                .selected
                .iter()
                .skip(start)
                .take(request.size)
                .copied()
                .collect();
            response.results = self.results_with_hits(
                &table,
                &searcher,
                &matches,
                &highlighter,
                &shown_positions,
            )?;
        }
        response.facets = matches.facets.listed;
        response.facet_other = matches.facets.other;
        response.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(response)
    }

    /// The results of the documents at `positions` of the table, in that order, with their
    /// highlighted page hits. Built in parallel (rayon, a thread per core) when the search
    /// runs alone: reading and highlighting the best pages of a page of results was a third
    /// of a query's time.
    fn results_with_hits(
        &self,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        matches: &OrderedMatches,
        highlighter: &Highlighter,
        positions: &[usize],
    ) -> Result<Vec<SearchResult>> {
        use rayon::prelude::*;
        let pages = best_pages_of(matches, positions);
        let one = |&position: &usize| {
            self.result_with_hits(table, searcher, matches, highlighter, position, &pages)
        };
        if matches.alone {
            positions.par_iter().map(one).collect()
        } else {
            positions.iter().map(one).collect()
        }
    }

    /// The result of the document at `position` of the table, with its highlighted page hits.
    fn result_with_hits(
        &self,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        matches: &OrderedMatches,
        highlighter: &Highlighter,
        position: usize,
        pages: &PagesByPosition,
    ) -> Result<SearchResult> {
        let entry = &table.entries[position];
        let mut hits = Vec::new();
        if let Some(pages) = pages.get(&position) {
            hits = self.page_hits(searcher, highlighter, pages)?;
        }
        Ok(to_result(&entry.stored, matches.score_of(position), hits))
    }
}

/// The best matching pages (score, page number, address) of some documents, by table position.
type PagesByPosition = HashMap<usize, Vec<(Score, u32, DocAddress)>>;

/// The best matching pages of the shown documents (none in browse mode).
fn best_pages_of(matches: &OrderedMatches, positions: &[usize]) -> PagesByPosition {
    match &matches.matched {
        Some(matched) => matched.best_pages(positions),
        None => HashMap::new(),
    }
}

/// The indexed field of a facet whose value every record of a document carries (so that a
/// record filter on it is a document filter); `None` for facets kept per page (`ground`,
/// `language`, `text_source`) or only in the document table.
fn record_field_of_facet(fields: &Fields, facet: &str) -> Option<tantivy::schema::Field> {
    match facet {
        "publisher" => Some(fields.publisher),
        "category" => Some(fields.category),
        "type" => Some(fields.document_type),
        "judgement" => Some(fields.judgement),
        "year" => Some(fields.year),
        _ => None,
    }
}

/// With selections in two or more of the facets of [`record_field_of_facet`], a document
/// failing two of them is neither a result nor counted in any facet (each facet is counted
/// with only its own selection left out). The query is narrowed to records passing all but
/// one of those selections, so that matching skips the others: with a publisher and a year
/// selected, about a tenth of the pages is scored. Scores are unchanged (the narrowing
/// clause scores 0); facet counting in [`count_facets`] stays exact.
fn narrow_to_countable(
    query: Box<dyn Query>,
    fields: &Fields,
    filters: &BTreeMap<String, Vec<String>>,
) -> Box<dyn Query> {
    let mut selections: Vec<Box<dyn Query>> = Vec::new();
    for (name, values) in filters {
        let Some(field) = record_field_of_facet(fields, name) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        let terms: Vec<Box<dyn Query>> = values
            .iter()
            .map(|value| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        selections.push(Box::new(BooleanQuery::union(terms)));
    }
    if selections.len() < 2 {
        return query;
    }
    let required = selections.len() - 1;
    let passes_all_but_one =
        BooleanQuery::union_with_minimum_required_clauses(selections, required);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(passes_all_but_one), 0.0)),
        ),
    ]))
}

/// Sorts the first `needed` items of `items` by `compare` and leaves the rest unordered after
/// them: a selection in linear time, then a sort of only what is shown.
fn sort_first<T>(
    items: &mut [T],
    needed: usize,
    mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    if needed == 0 {
        return;
    }
    if needed < items.len() {
        items.select_nth_unstable_by(needed - 1, &mut compare);
        items[..needed].sort_by(compare);
        return;
    }
    items.sort_by(compare);
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
    for (position, entry) in table.entries.iter().enumerate() {
        if entry.stored.category.as_deref() != Some(woo_indexer::complaint::COMPLAINT_CATEGORY) {
            continue;
        }
        let values: Vec<Option<String>> = keys
            .iter()
            .map(|key| {
                table
                    .facet(position, key)
                    .first()
                    .map(|value| value.to_string())
            })
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

/// Facet counts and what the capped lists leave out.
struct FacetCounts {
    listed: BTreeMap<String, Vec<FacetCount>>,
    other: BTreeMap<String, OtherFacetValues>,
}

/// Facet counts: for each facet, over documents passing every other facet's selection. Lists
/// are cut to the request's facet size (selected values always kept); histograms are whole.
/// Also returns, for each document of `positions`, the bit mask of the facet selections it
/// fails (bit i is `FACET_NAMES[i]`; 0: it passes every filter).
fn count_facets(
    table: &DocumentTable,
    positions: &[usize],
    request: &SearchRequest,
) -> (FacetCounts, Vec<u32>) {
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
    // The selections as bits: every facet with a selection, and per value ordinal the bit of
    // its facet when the value is selected.
    let mut selection_mask = 0u32;
    let mut selected_bit_of_value = vec![0u32; table.facet_values.len()];
    for (name, selected) in filters {
        let Some(index) = facet_index(name) else {
            continue;
        };
        if selected.is_empty() {
            continue;
        }
        selection_mask |= 1 << index;
        for value in selected {
            if let Some(&ordinal) = table.ordinal_of.get(&(index, value.clone())) {
                selected_bit_of_value[ordinal as usize] = 1 << index;
            }
        }
    }
    // Which selections each document fails, once per document.
    let failed: Vec<u32> = positions
        .iter()
        .map(|&position| {
            let mut passed = 0u32;
            for &ordinal in table.ordinals_of(position) {
                passed |= selected_bit_of_value[ordinal as usize];
            }
            selection_mask & !passed
        })
        .collect();
    // One pass over the documents, counting every value of every facet whose only failed
    // selection (if any) is its own.
    let mut counts = vec![0usize; table.facet_values.len()];
    for (&position, &mask) in positions.iter().zip(&failed) {
        for &ordinal in table.ordinals_of(position) {
            let facet = table.facet_of_ordinal[ordinal as usize];
            if mask & !(1u32 << facet) == 0 {
                counts[ordinal as usize] += 1;
            }
        }
    }
    let mut counts_by_facet: Vec<Vec<(&str, usize)>> = vec![Vec::new(); FACET_NAMES.len()];
    for (value, &count) in table.facet_values.iter().zip(&counts) {
        if count > 0 {
            counts_by_facet[value.facet].push((value.value.as_str(), count));
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
    (facets, failed)
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
        let run = |position: u32, best: Score, second: Score| DocumentRun {
            position,
            best,
            second,
        };
        let mut matched = MatchedRecords::new(3);
        matched.add_run(&run(0, 2.0, Score::NEG_INFINITY));
        matched.add_run(&run(1, 2.0, 1.0));
        // A document whose records were split over two segments: its runs combine.
        matched.add_run(&run(2, 2.0, Score::NEG_INFINITY));
        matched.add_run(&run(2, 1.5, Score::NEG_INFINITY));
        assert!(matched.score(1) > matched.score(0));
        assert_eq!(matched.score(2), 2.0 + 0.2 * 1.5);
        assert_eq!(matched.positions, vec![0, 1, 2]);
        let hit = |page: u32, score: Score| RecordHit {
            position: 1,
            page,
            score,
            address: DocAddress::new(0, page),
        };
        matched.page_hits = vec![hit(2, 1.0), hit(1, 2.0)];
        let pages = matched.best_pages(&[1]);
        assert_eq!(
            pages[&1].iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn newest_first_ranks_order_by_date_then_id_with_undated_last() {
        let entry = |id: &str, date_days: Option<i64>| DocumentEntry {
            key: 0,
            stored: StoredDocument {
                id: id.to_string(),
                ..StoredDocument::default()
            },
            date_days,
            decision_days: None,
        };
        let entries = vec![
            entry("b", Some(100)),
            entry("undated", None),
            entry("a", Some(100)),
            entry("newest", Some(200)),
        ];
        // newest (200), then a and b (100, by id), then the undated one.
        assert_eq!(newest_first_ranks(&entries), vec![2, 3, 1, 0]);
    }

    #[test]
    fn sort_first_orders_only_the_needed_prefix_correctly() {
        let mut items: Vec<u32> = (0..100).rev().collect();
        sort_first(&mut items, 5, |a, b| a.cmp(b));
        assert_eq!(&items[..5], &[0, 1, 2, 3, 4]);
        assert_eq!(items.len(), 100);
        let mut all = vec![3, 1, 2];
        sort_first(&mut all, usize::MAX, |a, b| a.cmp(b));
        assert_eq!(all, vec![1, 2, 3]);
    }
}
