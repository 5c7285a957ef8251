//! [`SearchService`]: the search side of an index (reader, query builder, the current
//! document table, the admission gate) and the search pipeline itself: match and group,
//! filter and count facets, sort, page, and build the snippets of the shown results.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tantivy::query::EnableScoring;
use tantivy::schema::Value;
use tantivy::{DocAddress, Executor, Index, IndexReader, ReloadPolicy, Score, TantivyDocument};
use woo_core::schema::Fields;
use woo_core::StoredDocument;

use crate::error::{ApiError, Result};
use crate::highlight::{self, Highlighter};
use crate::markup::{opening_words, render_highlighted_text};
use crate::query::QueryBuilder;
use crate::read_directory::ReadDirectory;
use crate::search::admission::{LoadLimits, SearchGate, SearchPlace};
use crate::search::collect::{GroupingCollector, MatchedRecords, PagesByPosition};
use crate::search::facets::{count_facets, narrow_to_countable, FacetCounts, FacetListing};
use crate::search::page_text::{self, PageText};
use crate::search::request::{SearchRequest, SortOrder};
use crate::search::response::{
    to_result, ComparedDocument, DocumentComparison, DuplicateMember, EmailThread, PageHit,
    PublicationGroup, SearchResponse, SearchResult, ThreadDocument, ThreadMessageView, ThreadPlace,
    DOCUMENTS_PER_GROUP, SUGGEST_BELOW_TOTAL,
};
use crate::search::table::{build_document_table, DocumentEntry, DocumentTable};

/// Best pages shown per result.
pub const HITS_PER_RESULT: usize = 3;

/// The search side of an index: reader, parser, and the document table.
pub struct SearchService {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    query_builder: QueryBuilder,
    table: RwLock<Arc<DocumentTable>>,
    /// The index directory, when the index lives in one (see [`SearchService::load_table`]).
    dir: Option<std::path::PathBuf>,
    /// Searches started, waiting and running, within the service's [`LoadLimits`] (see
    /// [`SearchService::start_search`]).
    gate: SearchGate,
}

/// The documents a request matches, unordered (see [`SearchService::matching_documents`]).
pub struct MatchingDocuments {
    /// The document table they are positions of.
    pub table: Arc<DocumentTable>,
    /// Their positions in the table, ascending.
    pub positions: Vec<usize>,
    /// The facet counts of the request.
    pub facets: std::collections::BTreeMap<String, Vec<crate::search::FacetCount>>,
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
        let index = woo_core::open_index(dir)?;
        SearchService::with_directory(index, Some(dir.to_path_buf()))
    }

    /// Wraps an opened index.
    pub fn from_index(index: Index) -> Result<SearchService> {
        SearchService::with_directory(index, None)
    }

    /// Wraps an opened index living in `dir` (if any).
    fn with_directory(mut index: Index, dir: Option<std::path::PathBuf>) -> Result<SearchService> {
        woo_core::analysis::register_analyzers(&index);
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
            gate: SearchGate::new(LoadLimits::default()),
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
        self.gate.limits = limits;
        self
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
        self.gate.start_search()
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

    /// The e-mail thread `thread` (a thread name, the smallest id of its documents): its
    /// messages in time order, each once with every page that prints it; `None` for an
    /// unknown thread.
    pub fn email_thread(&self, thread: &str) -> Option<EmailThread> {
        let table = self.table();
        let members = table.threads.get(thread)?;
        let documents: Vec<(&str, &[woo_core::EmailHeaders])> = members
            .iter()
            .map(|&position| {
                let fields = &table.entries[position].stored.fields;
                (fields.id.as_str(), fields.emails.as_slice())
            })
            .collect();
        let messages: Vec<ThreadMessageView> = woo_core::mail::thread_messages(&documents)
            .into_iter()
            .map(|message| ThreadMessageView {
                sent: message.headers.sent,
                sender: message.headers.sender,
                recipients: message.headers.recipients,
                subject: message.headers.subject,
                printed_in: message
                    .printed_in
                    .into_iter()
                    .map(|(document, page)| ThreadPlace {
                        document_id: documents[document].0.to_string(),
                        page,
                    })
                    .collect(),
            })
            .collect();
        let subject = messages.iter().find_map(|message| message.subject.clone());
        Some(EmailThread {
            id: thread.to_string(),
            subject,
            message_count: messages.len(),
            messages,
            documents: members
                .iter()
                .map(|&position| {
                    let fields = &table.entries[position].stored.fields;
                    ThreadDocument {
                        id: fields.id.clone(),
                        title: fields.title.clone(),
                        publisher: fields.publisher.clone(),
                        publication_id: fields.publication_id.clone(),
                        publication_title: fields.publication_title.clone(),
                        date: fields.date.clone(),
                    }
                })
                .collect(),
        })
    }

    /// The e-mail thread of document `id` and its number of messages, when it has one.
    pub fn thread_of(&self, id: &str) -> Option<(String, usize)> {
        let table = self.table();
        let &position = table.by_id.get(id)?;
        let thread = table.entries[position].thread.clone()?;
        let count = self
            .email_thread(&thread)
            .map(|thread| thread.message_count)
            .unwrap_or(0);
        Some((thread, count))
    }

    /// The other members of document `id`'s near-duplicate cluster, most similar first (empty
    /// for an unknown id or a document without near-duplicates).
    pub fn duplicates_of(&self, id: &str) -> Vec<DuplicateMember> {
        let table = self.table();
        let Some(&position) = table.by_id.get(id) else {
            return Vec::new();
        };
        let entry = &table.entries[position];
        let Some(cluster) = entry.duplicate_cluster.as_deref() else {
            return Vec::new();
        };
        let signature = &entry.stored.fields.text_signature;
        let mut members: Vec<DuplicateMember> = table
            .duplicate_clusters
            .get(cluster)
            .into_iter()
            .flatten()
            .filter(|&&member| member != position)
            .map(|&member| {
                let fields = &table.entries[member].stored.fields;
                DuplicateMember {
                    id: fields.id.clone(),
                    title: fields.title.clone(),
                    publisher: fields.publisher.clone(),
                    publication_id: fields.publication_id.clone(),
                    publication_title: fields.publication_title.clone(),
                    date: fields.date.clone(),
                    similarity: woo_core::similarity::estimated_similarity(
                        signature,
                        &fields.text_signature,
                    ),
                }
            })
            .collect();
        members.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.id.cmp(&b.id))
        });
        members
    }

    /// The redaction differences of documents `first` and `second` ([`crate::compare`]), from
    /// the text the index holds of their pages.
    pub fn compare(&self, first: &str, second: &str) -> Result<DocumentComparison> {
        let (Some(first_document), Some(second_document)) =
            (self.document(first), self.document(second))
        else {
            return Err(ApiError::NotFound(format!(
                "no document with id {first:?} or {second:?}"
            )));
        };
        let searcher = self.reader.searcher();
        let first_pages = page_text::page_texts(&searcher, &self.fields, first)?;
        let second_pages = page_text::page_texts(&searcher, &self.fields, second)?;
        let comparison = crate::compare::compare_documents(&first_pages, &second_pages);
        Ok(DocumentComparison {
            first: ComparedDocument::of(&first_document),
            second: ComparedDocument::of(&second_document),
            similarity: woo_core::similarity::estimated_similarity(
                &first_document.fields.text_signature,
                &second_document.fields.text_signature,
            ),
            comparison,
        })
    }

    /// The text of page `page` of document `id`.
    pub fn page_text(&self, id: &str, page: u32) -> Result<PageText> {
        let Some(document) = self.document(id) else {
            return Err(ApiError::NotFound(format!("no document with id {id:?}")));
        };
        page_text::page_text(&self.reader.searcher(), &self.fields, id, &document, page)
    }

    /// The ground stamps of every page of document `id` that has any, by page number.
    pub fn page_grounds(&self, id: &str) -> Result<Vec<(u32, Vec<String>)>> {
        page_text::page_grounds(&self.reader.searcher(), &self.fields, id)
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

    /// Steps 1–2: the query's matching records grouped by document (`None` in browse mode).
    fn match_records(
        &self,
        request: &SearchRequest,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        alone: bool,
    ) -> Result<Option<MatchedRecords>> {
        if request.is_browse() {
            return Ok(None);
        }
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
        Ok(Some(searcher.search_with_executor(
            &*query, &collector, executor, scoring,
        )?))
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
        let matched = self.match_records(request, table, searcher, alone)?;
        let candidates: Vec<usize> = match &matched {
            None => (0..table.entries.len()).collect(),
            Some(matched) => matched.positions.clone(),
        };

        // 3: date range, facets, filters.
        let in_range: Vec<usize> = if request.has_date_range() {
            candidates
                .into_iter()
                .filter(|&position| date_in_range(&table.entries[position], request))
                .collect()
        } else {
            candidates
        };
        let listing = FacetListing {
            filters: &request.filters,
            facet_size: request.facet_size,
            month_histogram: request.month_histogram,
        };
        let (facets, failed) = count_facets(&table.facets, &in_range, &listing);
        let mut selected: Vec<usize> = in_range
            .iter()
            .zip(&failed)
            .filter(|(_, &mask)| mask == 0)
            .map(|(&position, _)| position)
            .collect();
        let total = selected.len();

        // 4: sort the first `needed` (a partial selection, then a sort of those).
        sort_selected(
            &mut selected,
            matched.as_ref(),
            &table.newest_first_rank,
            request.sort,
            needed,
        );
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
            let mut result = to_result(&entry.stored, score, Vec::new());
            result.duplicate_cluster = entry.duplicate_cluster.clone();
            result.thread = entry.thread.clone();
            results.push(result);
        }
        Ok((total, results))
    }

    /// Every document matching a validated request (query, filters, date range), as table
    /// positions in table order, with the facet counts: for statistics over a search (the
    /// complaint patterns). Nothing is scored or sorted.
    pub fn matching_documents(&self, request: &SearchRequest) -> Result<MatchingDocuments> {
        request.validate()?;
        let mut unscored = request.clone();
        unscored.sort = SortOrder::DateNewestFirst;
        let table = self.table();
        let searcher = self.reader.searcher();
        let place = self.start_search()?;
        let matches = self.match_filter_and_sort(&unscored, &table, &searcher, 0, place.alone)?;
        place.check_deadline()?;
        let mut positions = matches.selected;
        positions.sort_unstable();
        Ok(MatchingDocuments {
            table,
            positions,
            facets: matches.facets.listed,
        })
    }

    /// Runs a validated request.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let table = self.table();
        let searcher = self.reader.searcher();
        let start = (request.page - 1) * request.size;
        // Grouping and collapsing order every selected document; a plain page only its window.
        let needed = if request.group_by_publication || request.collapse_duplicates {
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
            suggestion,
            ..SearchResponse::empty()
        };
        if request.group_by_publication {
            let publication_groups = group_by_publication(&table, &matches.selected);
            let shown_groups: Vec<&PositionsOfPublication> = publication_groups
                .iter()
                .skip(start)
                .take(request.size)
                .collect();
            let shown = self.shown_publication_groups(
                &table,
                &searcher,
                &matches,
                &highlighter,
                &shown_groups,
            )?;
            response.total_groups = Some(publication_groups.len());
            response.groups = Some(shown);
        } else if request.collapse_duplicates {
            let collapsed = collapse_duplicates(&table, &matches.selected);
            let shown: Vec<&(usize, usize)> =
                collapsed.iter().skip(start).take(request.size).collect();
            let shown_positions: Vec<usize> = shown.iter().map(|(position, _)| *position).collect();
            let mut results = self.results_with_hits(
                &table,
                &searcher,
                &matches,
                &highlighter,
                &shown_positions,
            )?;
            for (result, (_, others)) in results.iter_mut().zip(shown) {
                result.duplicates = *others;
            }
            response.total_collapsed = Some(collapsed.len());
            response.results = results;
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

    /// With `group=publication`: the shown publication groups, each with its best
    /// [`DOCUMENTS_PER_GROUP`] results and their highlighted page hits.
    fn shown_publication_groups(
        &self,
        table: &DocumentTable,
        searcher: &tantivy::Searcher,
        matches: &OrderedMatches,
        highlighter: &Highlighter,
        shown_groups: &[&PositionsOfPublication],
    ) -> Result<Vec<PublicationGroup>> {
        let shown_positions: Vec<usize> = shown_groups
            .iter()
            .flat_map(|group| group.positions.iter().take(DOCUMENTS_PER_GROUP).copied())
            .collect();
        let mut results_by_position: HashMap<usize, SearchResult> = shown_positions
            .iter()
            .copied()
            .zip(self.results_with_hits(table, searcher, matches, highlighter, &shown_positions)?)
            .collect();
        let mut shown = Vec::new();
        for group in shown_groups {
            let mut results = Vec::new();
            for position in group.positions.iter().take(DOCUMENTS_PER_GROUP) {
                results.extend(results_by_position.remove(position));
            }
            let first = &table.entries[group.positions[0]].stored;
            shown.push(PublicationGroup {
                publication_id: first.fields.publication_id.clone(),
                publication_title: first.fields.publication_title.clone(),
                matched_documents: group.positions.len(),
                results,
            });
        }
        Ok(shown)
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
        let mut result = to_result(&entry.stored, matches.score_of(position), hits);
        result.duplicate_cluster = entry.duplicate_cluster.clone();
        result.thread = entry.thread.clone();
        Ok(result)
    }
}

/// Orders the first `needed` of the `selected` table positions: by relevance (then newest
/// first) when the query was scored, else newest or oldest first by `rank` (each document's
/// newest-first place).
fn sort_selected(
    selected: &mut Vec<usize>,
    matched: Option<&MatchedRecords>,
    rank: &[u32],
    sort: SortOrder,
    needed: usize,
) {
    let newest_first = |a: usize, b: usize| rank[a].cmp(&rank[b]);
    match (matched, sort) {
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
            *selected = scored
                .into_iter()
                .map(|(_, _, position)| position)
                .collect();
        }
        (_, SortOrder::Relevance | SortOrder::DateNewestFirst) => {
            sort_first(selected, needed, |&a, &b| newest_first(a, b))
        }
        (_, SortOrder::DateOldestFirst) => {
            sort_first(selected, needed, |&a, &b| newest_first(b, a))
        }
    }
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
        let publication = table.entries[position]
            .stored
            .fields
            .publication_id
            .as_deref();
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

/// With `collapse=duplicates`: the selected documents with each near-duplicate cluster kept
/// once, at the place of its best member, and the number of its other selected members.
fn collapse_duplicates(table: &DocumentTable, selected: &[usize]) -> Vec<(usize, usize)> {
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut place_of_cluster: HashMap<&str, usize> = HashMap::new();
    for &position in selected {
        let Some(cluster) = table.entries[position].duplicate_cluster.as_deref() else {
            kept.push((position, 0));
            continue;
        };
        match place_of_cluster.get(cluster) {
            Some(&place) => kept[place].1 += 1,
            None => {
                place_of_cluster.insert(cluster, kept.len());
                kept.push((position, 0));
            }
        }
    }
    kept
}

/// The best matching pages of the shown documents (none in browse mode).
fn best_pages_of(matches: &OrderedMatches, positions: &[usize]) -> PagesByPosition {
    match &matches.matched {
        Some(matched) => matched.best_pages(positions),
        None => HashMap::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
