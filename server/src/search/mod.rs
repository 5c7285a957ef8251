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
//!    snippet with `<mark>` highlights ([`crate::highlight`], [`crate::markup`]).
//!
//! Submodules (private; their public items are re-exported here), lowest first:
//! ```text
//! response    SearchResponse, SearchResult, PageHit, FacetCount, PublicationGroup,
//!             DuplicateMember, DocumentComparison, EmailThread: plain data
//! complaints  complaint judgements: their facet values (norm, violated_norm, handling_time),
//!             facts and tf-idf themes, built with the table (a folder)
//! facets      the FACETS table (names, histograms, record fields, values, labels), the
//!             documents' facet values as ordinals, facet counting -> response, complaints
//! request     SearchRequest, SortOrder, the request limits, validation  -> facets
//! table       DocumentTable: one entry per document, record -> position per segment,
//!             newest-first ranks, the complaint table        -> facets, complaints
//! collect     GroupingCollector: matching records grouped by document   -> table
//! complaint_patterns  counts per group and the patterns of a search: shares, intervals,
//!             handling time, norms, trends, themes, links (a folder)  -> table, facets
//! admission   LoadLimits and the gate: searches running, waiting, refused
//! page_text   PageText: a page's stored text and facts
//! retracted   missing_document: 410 for a retracted id, 404 for an unknown one -> service
//! service     SearchService: the pipeline request -> collect -> facets -> sort -> snippets
//!             -> response, and the service's index, reader and table    -> all of the above
//! ```

mod admission;
mod collect;
mod complaint_patterns;
mod complaints;
mod facets;
mod page_text;
mod request;
mod response;
mod retracted;
mod service;
mod table;

pub use admission::{LoadLimits, SearchPlace, DEFAULT_SEARCH_BUDGET, DEFAULT_WAITING_SEARCHES};
pub use collect::{
    DocumentRun, GroupingCollector, GroupingSegmentCollector, MatchedRecords, RecordHit,
    SegmentMatches, PAGES_CONSIDERED_PER_RESULT,
};
pub use complaint_patterns::{
    complaint_patterns, complaint_stats, week_bin, BodyNorms, BodyPattern, ComplaintGroup,
    ComplaintPatterns, ExampleJudgement, HandlingPattern, HandlingSummary, LinkBase, NormCount,
    NormPatterns, SearchLink, ShareFigure, SubjectChange, SubjectTrends, TermShare, ThemePattern,
    WeekBin, YearCount, YearNorms, COMPLAINT_GROUP_KEYS, TREND_FDR,
};
pub use complaints::{
    build_complaint_table, cited_norm_names, find_themes, handling_time_value, ComplaintTable,
    JudgementFacts, Theme, Themes, HANDLING_TIME_VALUES, NOT_A_JUDGEMENT,
};
pub use facets::{
    FacetDescriptor, FacetOrdinals, FacetValue, DEFAULT_FACET_SIZE, FACETS, FACET_NAMES,
};
pub use page_text::PageText;
pub use request::{
    SearchRequest, SortOrder, MAX_FACET_SIZE, MAX_FACET_VALUES, MAX_FACET_VALUE_BYTES,
    MAX_PAGE_SIZE, MAX_RESULT_WINDOW,
};
pub use response::{
    ComparedDocument, DocumentComparison, DuplicateMember, EmailThread, FacetCount,
    OtherFacetValues, PageHit, PublicationGroup, SearchResponse, SearchResult, ThreadDocument,
    ThreadMessageView, ThreadPlace, DOCUMENTS_PER_GROUP, SUGGEST_BELOW_TOTAL,
};
pub use retracted::missing_document;
pub use service::{MatchingDocuments, SearchService, HITS_PER_RESULT};
pub use table::{build_document_table, DocumentEntry, DocumentTable};

// HTML escaping and `<mark>` rendering live in `crate::markup`; kept here for the callers
// that know them by these paths.
pub use crate::markup::{html_escape, render_highlighted_text};
