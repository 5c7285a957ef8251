//! Side-by-side benchmarks against the peers, on a scale corpus written by `woo scale-corpus`.
//!
//! ```sh
//! cargo bench --bench peers -- index PAGES_DIR WORK_DIR   # woo index vs SQLite FTS5 vs plain tantivy
//! cargo bench --bench peers -- query WORK_DIR [RUNS]      # p50/p99 of the query mix, all three
//! PEERS_OURS_ONLY=1 PEERS_KIND=fuzzy cargo bench --bench peers -- query WORK_DIR [RUNS]  # only ours (and one kind), not recorded
//! ```
//! `index` runs `target/release/woo index` under `/usr/bin/time -v` (wall time and peak RSS;
//! `$WOO_BIN` overrides the path), then loads the same page texts into SQLite FTS5 (rusqlite,
//! bundled; `unicode61 remove_diacritics 2`, one row per page, one transaction, `optimize`) and
//! into tantivy with a plain default schema (one document per page, default tokenizer, the
//! same 200 MB writer budget), in this one run, and prints pages/s and bytes on disk per page.
//! `query` runs the fixed mix of [`QUERY_KINDS`] on the three indexes of `WORK_DIR`,
//! interleaved (engine after engine for each run) so that a loaded machine slows all alike.
//! Each result line is also appended as JSON to `WORK_DIR/results.jsonl`. See benches/README.md.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rusqlite::Connection;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, FuzzyTermQuery, Occur, Query, QueryParser, RegexQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STORED, STRING, TEXT};
use tantivy::{doc, Index, Order, TantivyDocument, Term};
use woo_indexer::pages::{parse_record, read_lines, PageRecord};
use woo_server::search::{SearchRequest, SortOrder};
use woo_server::SearchService;

/// One kind of query of the mix, in the three engines' syntaxes.
struct QueryKind {
    name: &'static str,
    /// Our query language (`/api/search?q=`).
    ours: &'static str,
    /// Facet filters (ours and the peers').
    filters: &'static [(&'static str, &'static str)],
    /// Sort by date, newest first.
    by_date: bool,
    /// FTS5 MATCH expression; `None`: FTS5 cannot (no fuzzy search).
    fts5: Option<&'static str>,
}

/// The fixed query mix.
const QUERY_KINDS: &[QueryKind] = &[
    QueryKind {
        name: "single word",
        ours: "minister",
        filters: &[],
        by_date: false,
        fts5: Some("minister"),
    },
    QueryKind {
        name: "two words",
        ours: "persoonsgegevens verwerking",
        filters: &[],
        by_date: false,
        fts5: Some("persoonsgegevens verwerking"),
    },
    QueryKind {
        name: "phrase",
        ours: "\"wet open overheid\"",
        filters: &[],
        by_date: false,
        fts5: Some("\"wet open overheid\""),
    },
    QueryKind {
        name: "prefix",
        ours: "vaccin*",
        filters: &[],
        by_date: false,
        fts5: Some("vaccin*"),
    },
    QueryKind {
        name: "fuzzy",
        ours: "coronamelder~1",
        filters: &[],
        by_date: false,
        fts5: None,
    },
    QueryKind {
        name: "facet filter",
        ours: "informatie",
        filters: &[
            (
                "publisher",
                "Ministerie van Volksgezondheid, Welzijn en Sport",
            ),
            ("year", "2024"),
        ],
        by_date: false,
        fts5: Some("informatie"),
    },
    QueryKind {
        name: "date sort",
        ours: "privacy",
        filters: &[],
        by_date: true,
        fts5: Some("privacy"),
    },
];

/// Facets counted by the peers (ours counts all of its facets).
const PEER_FACETS: &[&str] = &["publisher", "category", "type", "year", "judgement"];

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; skip flags.
    let words: Vec<&str> = arguments
        .iter()
        .map(String::as_str)
        .filter(|word| !word.starts_with("--"))
        .collect();
    let outcome = match words.as_slice() {
        ["index", pages, work] => index(Path::new(pages), Path::new(work)),
        ["query", work] => query(Path::new(work), 100),
        ["query", work, runs] => match runs.parse() {
            Ok(runs) => query(Path::new(work), runs),
            Err(_) => Err(format!("runs {runs:?} is not a number")),
        },
        [] => {
            println!("peers: nothing to do (usage in benches/speed/peers.rs)");
            Ok(())
        }
        _ => Err("usage: peers index PAGES_DIR WORK_DIR | peers query WORK_DIR [RUNS]".into()),
    };
    if let Err(message) = outcome {
        eprintln!("peers: {message}");
        std::process::exit(2);
    }
}

fn record_result(work: &Path, value: serde_json::Value) {
    let path = work.join("results.jsonl");
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{value}"));
    if let Err(error) = appended {
        eprintln!("peers: cannot append to {}: {error}", path.display());
    }
}

fn page_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| woo_indexer::pages::is_page_file(path))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.pages.jsonl in {}", dir.display()));
    }
    Ok(files)
}

/// Every record of the text-page files, one at a time.
fn for_each_record(
    dir: &Path,
    mut each: impl FnMut(PageRecord) -> Result<(), String>,
) -> Result<(), String> {
    for file in page_files(dir)? {
        for line in read_lines(&file).map_err(|error| error.to_string())? {
            let (number, line) = line.map_err(|error| error.to_string())?;
            let record = parse_record(&file, number, &line).map_err(|error| error.to_string())?;
            each(record)?;
        }
    }
    Ok(())
}

fn directory_bytes(path: &Path) -> u64 {
    if path.is_file() {
        return path.metadata().map(|meta| meta.len()).unwrap_or(0);
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| directory_bytes(&entry.path()))
        .sum()
}

fn woo_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("WOO_BIN") {
        return PathBuf::from(path);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/woo")
}

/// `woo index`, FTS5 and plain tantivy over the same page texts.
fn index(pages: &Path, work: &Path) -> Result<(), String> {
    std::fs::create_dir_all(work).map_err(|error| error.to_string())?;
    let mut page_count = 0u64;
    let mut text_bytes = 0u64;
    for_each_record(pages, |record| {
        page_count += record.pages.len() as u64;
        text_bytes += record
            .pages
            .iter()
            .map(|page| page.len() as u64)
            .sum::<u64>();
        Ok(())
    })?;
    println!(
        "{page_count} pages, {:.1} MB of text; the machine has {} cores",
        text_bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // Ours: the real command, under /usr/bin/time -v for its peak RSS.
    let ours_dir = work.join("woo");
    let _ = std::fs::remove_dir_all(&ours_dir);
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(woo_binary())
        .args(["index", "--no-ocr", "--index"])
        .arg(&ours_dir)
        .arg(pages)
        .output()
        .map_err(|error| format!("cannot run /usr/bin/time -v woo index: {error}"))?;
    let ours_seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("woo index failed: {stderr}"));
    }
    let ours_rss_kb = stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|value| value.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let ours_bytes = directory_bytes(&ours_dir);
    record_result(
        work,
        serde_json::json!({"bench": "index", "engine": "woo-search", "pages": page_count,
            "seconds": ours_seconds, "pages_per_second": page_count as f64 / ours_seconds,
            "bytes": ours_bytes, "bytes_per_page": ours_bytes as f64 / page_count as f64,
            "peak_rss_mb": ours_rss_kb as f64 / 1024.0,
            "summary": String::from_utf8_lossy(&output.stdout).trim()}),
    );

    let (fts5_seconds, fts5_bytes) = index_fts5(pages, &work.join("fts5.sqlite"))?;
    record_result(
        work,
        serde_json::json!({"bench": "index", "engine": "sqlite-fts5", "pages": page_count,
            "seconds": fts5_seconds, "pages_per_second": page_count as f64 / fts5_seconds,
            "bytes": fts5_bytes, "bytes_per_page": fts5_bytes as f64 / page_count as f64}),
    );
    let (plain_seconds, plain_bytes) = index_plain_tantivy(pages, &work.join("tantivy-plain"))?;
    record_result(
        work,
        serde_json::json!({"bench": "index", "engine": "tantivy-plain", "pages": page_count,
            "seconds": plain_seconds, "pages_per_second": page_count as f64 / plain_seconds,
            "bytes": plain_bytes, "bytes_per_page": plain_bytes as f64 / page_count as f64}),
    );
    println!(
        "indexing: woo-search {:.0} pages/s, FTS5 {:.0} pages/s (ratio {:.2}), plain tantivy {:.0} pages/s",
        page_count as f64 / ours_seconds,
        page_count as f64 / fts5_seconds,
        fts5_seconds / ours_seconds,
        page_count as f64 / plain_seconds
    );
    Ok(())
}

fn sql_error(error: rusqlite::Error) -> String {
    format!("sqlite: {error}")
}

fn index_fts5(pages: &Path, database: &Path) -> Result<(f64, u64), String> {
    let _ = std::fs::remove_file(database);
    let started = Instant::now();
    let mut connection = Connection::open(database).map_err(sql_error)?;
    connection
        .execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE docs(id INTEGER PRIMARY KEY, doc_id TEXT, title TEXT, publisher TEXT,
                 category TEXT, type TEXT, year TEXT, date TEXT, judgement TEXT);
             CREATE VIRTUAL TABLE pages USING fts5(text, doc UNINDEXED, page UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )
        .map_err(sql_error)?;
    let transaction = connection.transaction().map_err(sql_error)?;
    {
        let mut insert_doc = transaction
            .prepare("INSERT INTO docs(doc_id, title, publisher, category, type, year, date, judgement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .map_err(sql_error)?;
        let mut insert_page = transaction
            .prepare("INSERT INTO pages(text, doc, page) VALUES (?1, ?2, ?3)")
            .map_err(sql_error)?;
        for_each_record(pages, |record| {
            let year = record.date.as_deref().and_then(|date| date.get(..4));
            insert_doc
                .execute(rusqlite::params![
                    record.id,
                    record.title,
                    record.publisher,
                    record.category,
                    record.document_type,
                    year,
                    record.date,
                    record.judgement
                ])
                .map_err(sql_error)?;
            let doc = transaction.last_insert_rowid();
            for (index, text) in record.pages.iter().enumerate() {
                insert_page
                    .execute(rusqlite::params![text, doc, index as i64 + 1])
                    .map_err(sql_error)?;
            }
            Ok(())
        })?;
    }
    transaction
        .execute_batch(
            "INSERT INTO pages(pages) VALUES ('optimize'); CREATE INDEX docs_date ON docs(date);",
        )
        .map_err(sql_error)?;
    transaction.commit().map_err(sql_error)?;
    drop(connection);
    Ok((started.elapsed().as_secs_f64(), directory_bytes(database)))
}

fn plain_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("doc_id", STRING | STORED);
    builder.add_u64_field("page", STORED);
    builder.add_text_field("title", TEXT | STORED);
    builder.add_text_field("text", TEXT | STORED);
    for facet in PEER_FACETS {
        builder.add_text_field(facet, STRING | FAST);
    }
    builder.add_i64_field("date", INDEXED | FAST);
    builder.build()
}

fn days(date: Option<&str>) -> i64 {
    date.and_then(woo_indexer::write::date_to_days).unwrap_or(0)
}

fn index_plain_tantivy(pages: &Path, dir: &Path) -> Result<(f64, u64), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|error| error.to_string())?;
    let started = Instant::now();
    let schema = plain_schema();
    let index = Index::create_in_dir(dir, schema.clone()).map_err(|error| error.to_string())?;
    let mut writer = index
        .writer::<TantivyDocument>(200 * 1024 * 1024)
        .map_err(|error| error.to_string())?;
    let field = |name: &str| schema.get_field(name).map_err(|error| error.to_string());
    let (doc_id, page, title, text, date) = (
        field("doc_id")?,
        field("page")?,
        field("title")?,
        field("text")?,
        field("date")?,
    );
    let facet_fields: Vec<_> = PEER_FACETS
        .iter()
        .map(|name| field(name))
        .collect::<Result<_, _>>()?;
    for_each_record(pages, |record| {
        let year = record.date.as_deref().and_then(|date| date.get(..4));
        let facet_values = [
            record.publisher.as_deref(),
            record.category.as_deref(),
            record.document_type.as_deref(),
            year,
            record.judgement.as_deref(),
        ];
        for (index, page_text) in record.pages.iter().enumerate() {
            let mut document = doc!(
                doc_id => record.id.as_str(),
                page => index as u64 + 1,
                title => record.title.as_deref().unwrap_or(""),
                text => page_text.as_str(),
                date => days(record.date.as_deref()),
            );
            for (facet, value) in facet_fields.iter().zip(facet_values) {
                if let Some(value) = value {
                    document.add_text(*facet, value);
                }
            }
            writer
                .add_document(document)
                .map_err(|error| error.to_string())?;
        }
        Ok(())
    })?;
    writer.commit().map_err(|error| error.to_string())?;
    writer
        .wait_merging_threads()
        .map_err(|error| error.to_string())?;
    Ok((started.elapsed().as_secs_f64(), directory_bytes(dir)))
}

/// Latencies in milliseconds -> (p50, p99, mean).
fn percentiles(samples: &mut [f64]) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |quantile: f64| {
        let rank = ((samples.len() as f64 * quantile).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1]
    };
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    (at(0.50), at(0.99), mean)
}

fn ours_request(kind: &QueryKind) -> SearchRequest {
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (facet, value) in kind.filters {
        filters
            .entry(facet.to_string())
            .or_default()
            .push(value.to_string());
    }
    SearchRequest {
        query: kind.ours.to_string(),
        page: 1,
        size: 10,
        sort: if kind.by_date {
            SortOrder::DateNewestFirst
        } else {
            SortOrder::Relevance
        },
        filters,
        ..SearchRequest::default()
    }
}

/// The FTS5 side of one query: matching documents (best page's bm25), top 10 by score or
/// date, total, and the document counts of the peer facets.
fn run_fts5(connection: &Connection, kind: &QueryKind, expression: &str) -> Result<usize, String> {
    connection
        .execute("DELETE FROM temp.hits", [])
        .map_err(sql_error)?;
    let mut filter_sql = String::new();
    let mut parameters: Vec<String> = vec![expression.to_string()];
    for (facet, value) in kind.filters {
        parameters.push(value.to_string());
        filter_sql.push_str(&format!(" AND d.{facet} = ?{}", parameters.len()));
    }
    let insert = format!(
        "INSERT INTO temp.hits SELECT p.doc, min(p.rank) FROM pages p JOIN docs d ON d.id = p.doc
         WHERE pages MATCH ?1{filter_sql} GROUP BY p.doc"
    );
    connection
        .execute(&insert, rusqlite::params_from_iter(parameters.iter()))
        .map_err(sql_error)?;
    let order = if kind.by_date {
        "d.date DESC"
    } else {
        "h.score"
    };
    let top = format!(
        "SELECT d.doc_id, d.title FROM temp.hits h JOIN docs d ON d.id = h.doc ORDER BY {order} LIMIT 10"
    );
    let mut statement = connection.prepare_cached(&top).map_err(sql_error)?;
    let rows: Vec<(String, Option<String>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(sql_error)?
        .collect::<Result<_, _>>()
        .map_err(sql_error)?;
    let total: i64 = connection
        .query_row("SELECT count(*) FROM temp.hits", [], |row| row.get(0))
        .map_err(sql_error)?;
    for facet in PEER_FACETS {
        let sql = format!(
            "SELECT d.{facet}, count(*) FROM temp.hits h JOIN docs d ON d.id = h.doc GROUP BY 1 ORDER BY 2 DESC LIMIT 50"
        );
        let mut statement = connection.prepare_cached(&sql).map_err(sql_error)?;
        let counts: Vec<(Option<String>, i64)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(sql_error)?
            .collect::<Result<_, _>>()
            .map_err(sql_error)?;
        std::hint::black_box(counts);
    }
    std::hint::black_box(rows);
    Ok(total as usize)
}

/// Plain tantivy: the query on the page text, top 10 pages (by score or date) with their
/// stored fields, the page count and terms aggregations over the peer facets.
struct PlainTantivy {
    index: Index,
    reader: tantivy::IndexReader,
    parser: QueryParser,
    schema: Schema,
}

impl PlainTantivy {
    fn open(dir: &Path) -> Result<PlainTantivy, String> {
        let index = Index::open_in_dir(dir).map_err(|error| error.to_string())?;
        let schema = index.schema();
        let text = schema
            .get_field("text")
            .map_err(|error| error.to_string())?;
        let title = schema
            .get_field("title")
            .map_err(|error| error.to_string())?;
        let mut parser = QueryParser::for_index(&index, vec![text, title]);
        parser.set_conjunction_by_default();
        let reader = index.reader().map_err(|error| error.to_string())?;
        Ok(PlainTantivy {
            index,
            reader,
            parser,
            schema,
        })
    }

    fn query(&self, kind: &QueryKind) -> Result<Box<dyn Query>, String> {
        let text = self
            .schema
            .get_field("text")
            .map_err(|error| error.to_string())?;
        let base: Box<dyn Query> = if let Some(prefix) = kind.ours.strip_suffix('*') {
            Box::new(
                RegexQuery::from_pattern(&format!("{prefix}.*"), text)
                    .map_err(|error| error.to_string())?,
            )
        } else if let Some(word) = kind.ours.strip_suffix("~1") {
            Box::new(FuzzyTermQuery::new(
                Term::from_field_text(text, word),
                1,
                true,
            ))
        } else {
            self.parser
                .parse_query(kind.ours)
                .map_err(|error| error.to_string())?
        };
        if kind.filters.is_empty() {
            return Ok(base);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
        for (facet, value) in kind.filters {
            let field = self
                .schema
                .get_field(facet)
                .map_err(|error| error.to_string())?;
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn run(&self, kind: &QueryKind, aggregations: &Aggregations) -> Result<usize, String> {
        let searcher = self.reader.searcher();
        let query = self.query(kind)?;
        let collector_aggregations =
            AggregationCollector::from_aggs(aggregations.clone(), Default::default());
        let addresses: Vec<tantivy::DocAddress>;
        let total;
        let facets: AggregationResults;
        if kind.by_date {
            let top = TopDocs::with_limit(10).order_by_fast_field::<i64>("date", Order::Desc);
            let (hits, count, aggregated) = searcher
                .search(&*query, &(top, Count, collector_aggregations))
                .map_err(|error| error.to_string())?;
            addresses = hits.into_iter().map(|(_, address)| address).collect();
            total = count;
            facets = aggregated;
        } else {
            let top = TopDocs::with_limit(10).order_by_score();
            let (hits, count, aggregated) = searcher
                .search(&*query, &(top, Count, collector_aggregations))
                .map_err(|error| error.to_string())?;
            addresses = hits.into_iter().map(|(_, address)| address).collect();
            total = count;
            facets = aggregated;
        }
        for address in addresses {
            let stored: TantivyDocument =
                searcher.doc(address).map_err(|error| error.to_string())?;
            std::hint::black_box(stored);
        }
        std::hint::black_box(facets);
        let _ = &self.index;
        Ok(total)
    }
}

fn peer_aggregations() -> Result<Aggregations, String> {
    let mut request = serde_json::Map::new();
    for facet in PEER_FACETS {
        request.insert(
            facet.to_string(),
            serde_json::json!({"terms": {"field": facet, "size": 50}}),
        );
    }
    serde_json::from_value(serde_json::Value::Object(request)).map_err(|error| error.to_string())
}

fn query(work: &Path, runs: usize) -> Result<(), String> {
    let ours = SearchService::open(&work.join("woo")).map_err(|error| format!("{error:?}"))?;
    let fts5 = Connection::open(work.join("fts5.sqlite")).map_err(sql_error)?;
    fts5.execute_batch("CREATE TEMP TABLE hits(doc INTEGER PRIMARY KEY, score REAL);")
        .map_err(sql_error)?;
    let plain = PlainTantivy::open(&work.join("tantivy-plain"))?;
    let aggregations = peer_aggregations()?;
    let documents = ours.table().entries.len();
    println!(
        "{documents} documents in the woo-search index; {runs} runs per query kind and engine"
    );
    println!(
        "{:<14} {:>9} {:>9} {:>9} | {:>9} {:>9} {:>9} | {:>9} {:>9} {:>9} | {:>7}",
        "kind",
        "ours p50",
        "ours p99",
        "hits",
        "fts5 p50",
        "fts5 p99",
        "hits",
        "plain p50",
        "plain p99",
        "pages",
        "p50 ×"
    );
    // `PEERS_OURS_ONLY=1`: only our engine, nothing recorded (for profiling runs);
    // `PEERS_KIND=fuzzy`: only that kind of the mix.
    let ours_only = std::env::var_os("PEERS_OURS_ONLY").is_some();
    let only_kind = std::env::var("PEERS_KIND").ok();
    for kind in QUERY_KINDS {
        if only_kind.as_deref().is_some_and(|name| name != kind.name) {
            continue;
        }
        let request = ours_request(kind);
        let mut ours_ms = Vec::with_capacity(runs);
        let mut fts5_ms = Vec::with_capacity(runs);
        let mut plain_ms = Vec::with_capacity(runs);
        let (mut ours_total, mut fts5_total, mut plain_total) = (0, 0, 0);
        // Two warm-up runs each, not measured.
        for run in 0..runs + 2 {
            let started = Instant::now();
            let answer = ours
                .search(&request)
                .map_err(|error| format!("{error:?}"))?;
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            ours_total = answer.total;
            if run >= 2 {
                ours_ms.push(elapsed);
            }
            if ours_only {
                continue;
            }
            if let Some(expression) = kind.fts5 {
                let started = Instant::now();
                fts5_total = run_fts5(&fts5, kind, expression)?;
                if run >= 2 {
                    fts5_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                }
            }
            let started = Instant::now();
            plain_total = plain.run(kind, &aggregations)?;
            if run >= 2 {
                plain_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        if ours_total == 0 {
            return Err(format!(
                "query {:?} found nothing: the mix does not fit this corpus",
                kind.ours
            ));
        }
        if ours_only {
            let (ours_p50, ours_p99, _) = percentiles(&mut ours_ms);
            println!(
                "{:<14} {ours_p50:>9.2} {ours_p99:>9.2} {ours_total:>9}",
                kind.name
            );
            continue;
        }
        let (ours_p50, ours_p99, ours_mean) = percentiles(&mut ours_ms);
        let (plain_p50, plain_p99, _) = percentiles(&mut plain_ms);
        let fts5_figures = if fts5_ms.is_empty() {
            None
        } else {
            Some(percentiles(&mut fts5_ms))
        };
        let ratio = fts5_figures.map(|(p50, _, _)| p50 / ours_p50);
        println!(
            "{:<14} {:>9.2} {:>9.2} {:>9} | {:>9} {:>9} {:>9} | {:>9.2} {:>9.2} {:>9} | {:>7}",
            kind.name,
            ours_p50,
            ours_p99,
            ours_total,
            fts5_figures.map_or("n/a".to_string(), |f| format!("{:.2}", f.0)),
            fts5_figures.map_or("n/a".to_string(), |f| format!("{:.2}", f.1)),
            if kind.fts5.is_some() {
                fts5_total.to_string()
            } else {
                "-".to_string()
            },
            plain_p50,
            plain_p99,
            plain_total,
            ratio.map_or("-".to_string(), |ratio| format!("{ratio:.1}"))
        );
        record_result(
            work,
            serde_json::json!({"bench": "query", "kind": kind.name, "documents": documents,
                "runs": runs,
                "ours": {"p50_ms": ours_p50, "p99_ms": ours_p99, "mean_ms": ours_mean, "hits": ours_total},
                "fts5": fts5_figures.map(|(p50, p99, mean)| serde_json::json!({"p50_ms": p50, "p99_ms": p99, "mean_ms": mean, "hits": fts5_total})),
                "tantivy_plain": {"p50_ms": plain_p50, "p99_ms": plain_p99, "pages": plain_total},
                "fts5_over_ours_p50": ratio}),
        );
    }
    Ok(())
}
