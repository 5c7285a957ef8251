//! The `woo` command: `woo index`, `woo serve`, `woo extract`, `woo demo`, `woo fixtures`.
//!
//! Thin: arguments -> options -> the indexer or server library. Errors are printed with `{:#}`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use woo_indexer::ingest::{
    run_index_in, FileStatus, IndexOptions, IndexSummary, Progress, RunControl,
};
use woo_indexer::ocr::OcrEngine;
use woo_indexer::pdf::PdfLimits;
use woo_indexer::write::IndexSink;
use woo_server::admin::{default_files_dir, AdminConfig, AdminState, TokenSet, ADMIN_TOKEN_ENV};
use woo_server::{AppState, SearchService};

/// Search engine for documents published under the Dutch Open Government Act (Woo).
#[derive(Parser)]
#[command(name = "woo", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index documents (PDFs, office files, e-mails, archives, XML... and their metadata) from
    /// files or folders into an index directory.
    Index(IndexArguments),
    /// Serve the JSON API and the HTML search page.
    Serve {
        /// Index directory.
        #[arg(long, env = "WOO_INDEX")]
        index: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3000")]
        addr: String,
        /// Admin tokens file, one `name:scope1,scope2:token` per line (scopes: load, retract).
        /// With it or $WOO_ADMIN_TOKEN the admin API is on and the server holds the index writer.
        #[arg(long, value_name = "FILE")]
        tokens: Option<PathBuf>,
        /// Where uploaded publications are stored (default: <index>/../<index-name>-files).
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        /// Do not OCR the scanned pages of uploads (default: OCR when tesseract is installed).
        #[arg(long)]
        no_ocr: bool,
        /// OCR cache directory for uploads (default: $WOO_OCR_CACHE or ~/.cache/woo-search/ocr).
        #[arg(long, value_name = "DIR")]
        ocr_cache: Option<PathBuf>,
        /// The server's public address (e.g. https://woo.example.nl): the start of the
        /// absolute URLs in exports and the Atom feed. Without it those URLs are relative.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        #[command(flatten)]
        load: LoadArguments,
    },
    /// Print the text of each page of a file of any format the indexer reads, pages separated
    /// by a form feed (for a PDF: like pdftotext).
    Extract {
        /// The PDF.
        file: PathBuf,
        /// Print JSON: [{"page": 1, "text": "...", ...}].
        #[arg(long)]
        json: bool,
        /// OCR pages without a usable text layer.
        #[arg(long)]
        ocr: bool,
    },
    /// Check PDFs for failed redactions: words drawn and then covered by a black box (still
    /// in the file, though a viewer hides them). Prints per file and page how many words lie
    /// under a box (never the words); exits 1 when any file has such a page.
    CheckRedactions {
        /// The PDFs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Index the bundled fixtures into a temporary index and serve them.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3000")]
        addr: String,
        #[command(flatten)]
        load: LoadArguments,
    },
    /// Write the project's fixture files (PDFs and metadata) into a folder.
    Fixtures {
        /// Target folder.
        dir: PathBuf,
        /// Write the hostile PDFs (for robustness tests) instead.
        #[arg(long)]
        hostile: bool,
        /// Write a file of every other format the indexer reads (docx, odt, e-mail, zip,
        /// XML...) and a hostile one of each instead.
        #[arg(long, conflicts_with = "hostile")]
        formats: bool,
    },
    /// Write a synthetic collection of N pages for benchmarks: real page texts of CORPUS
    /// recombined into publications with realistic metadata, as `*.pages.jsonl` files in OUT.
    ScaleCorpus {
        /// Total number of pages (up to 1,000,000 and beyond).
        #[arg(long)]
        pages: usize,
        /// Seed: the same seed, corpus and page count give the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder of real PDFs whose page texts are recombined (extracted once, cached in
        /// OUT/source-texts.json).
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Output folder.
        out: PathBuf,
    },
    /// Write a synthetic collection of N complaint judgements (klachtoordelen) from 300+ bodies
    /// over 2020–2025 with planted patterns, for the complaints page and its benchmark:
    /// `*.klachten.jsonl` records per body in OUT/records and a share as letter PDFs in
    /// OUT/letters.
    ComplaintCorpus {
        /// Number of judgements.
        #[arg(long)]
        judgements: usize,
        /// Seed: the same seed and count give the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Every Nth judgement is written as a letter PDF instead of a record (0: none).
        #[arg(long, default_value_t = 100)]
        letter_every: usize,
        /// Output folder.
        out: PathBuf,
    },
    /// Internal: extract one PDF from stdin, write one JSON answer to stdout (run by `woo
    /// index` per file under resource limits).
    #[command(hide = true)]
    ExtractWorker {
        /// The file's name, for messages.
        #[arg(default_value = "stdin.pdf")]
        name: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,lopdf=error")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("woo: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Index(arguments) => index_command(arguments),
        Command::Serve {
            index,
            addr,
            tokens,
            files,
            no_ocr,
            ocr_cache,
            public_url,
            load,
        } => {
            let public_url = match public_url {
                Some(url) => Some(
                    woo_server::export::public_base_url(&url)
                        .map_err(anyhow::Error::msg)
                        .context("bad --public-url")?,
                ),
                None => None,
            };
            let search = SearchService::open(&index)
                .with_context(|| format!("cannot open index {}", index.display()))?
                .with_load_limits(load.limits());
            let upload_ocr = UploadOcr {
                enabled: !no_ocr,
                cache: ocr_cache,
            };
            let admin = open_admin(&index, tokens.as_deref(), files, upload_ocr)?;
            serve(search, admin, &addr, public_url, &load)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { file, json, ocr } => extract(&file, json, ocr),
        Command::Demo { addr, load } => demo(&addr, &load),
        Command::CheckRedactions { files } => check_redactions(&files),
        Command::ScaleCorpus {
            pages,
            seed,
            corpus,
            out,
        } => scale_corpus(pages, seed, &corpus, &out),
        Command::ComplaintCorpus {
            judgements,
            seed,
            letter_every,
            out,
        } => {
            let summary = woo_fixtures::complaints::write_complaint_collection(
                &out,
                judgements,
                seed,
                letter_every,
            )
            .with_context(|| {
                format!(
                    "cannot write the complaint collection into {}",
                    out.display()
                )
            })?;
            println!(
                "wrote {} complaint judgements into {}: {} records in {} files, {} letters",
                summary.records + summary.letters,
                out.display(),
                summary.records,
                summary.record_files,
                summary.letters
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ExtractWorker { name } => {
            woo_indexer::worker::run_worker_on_stdio(&name)
                .context("extract-worker cannot answer")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fixtures {
            dir, formats: true, ..
        } => {
            let written = woo_fixtures::formats::write_format_fixtures(&dir, true)
                .with_context(|| format!("cannot write format fixtures into {}", dir.display()))?;
            println!("wrote {} files into {}", written.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Fixtures {
            dir, hostile: true, ..
        } => {
            let written = woo_fixtures::hostile::write_hostile_pdfs(&dir)
                .with_context(|| format!("cannot write hostile PDFs into {}", dir.display()))?;
            println!("wrote {} files into {}", written.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Fixtures { dir, .. } => {
            let written = woo_fixtures::write_fixtures(&dir)
                .with_context(|| format!("cannot write fixtures into {}", dir.display()))?;
            println!("wrote {} files into {}", written.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `woo index`: the run with a progress bar, the report file, the exit status.
fn index_command(arguments: IndexArguments) -> anyhow::Result<ExitCode> {
    let IndexArguments {
        index,
        inputs,
        jobs,
        no_ocr,
        ocr_cache,
        force,
        report,
        republish,
    } = arguments;
    let ocr = if no_ocr { None } else { detect_ocr(ocr_cache) };
    let options = IndexOptions {
        ocr,
        jobs,
        force,
        extract_worker: std::env::current_exe().ok(),
        ..IndexOptions::new(inputs, index)
    };
    let control = RunControl {
        republish,
        ..RunControl::default()
    };
    let summary = index_with_progress(&options, &control)?;
    if let Some(report_path) = report {
        let is_csv = report_path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
        let text = if is_csv {
            summary.reports_csv()
        } else {
            serde_json::to_string_pretty(&summary)?
        };
        std::fs::write(&report_path, text)
            .with_context(|| format!("cannot write report {}", report_path.display()))?;
    }
    if summary.failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

fn detect_ocr(cache: Option<PathBuf>) -> Option<OcrEngine> {
    let cache = cache.unwrap_or_else(woo_indexer::ocr::default_cache_dir);
    let engine = OcrEngine::detect(Some(cache));
    if engine.is_none() {
        eprintln!(
            "woo: tesseract (with Dutch: tesseract-ocr-nld) or pdftoppm (poppler-utils) not found: pages without a text layer will not be OCR'd"
        );
    }
    engine
}

/// Whether `woo serve` OCRs uploads, and with which cache.
struct UploadOcr {
    enabled: bool,
    cache: Option<PathBuf>,
}

/// The admin state when a token is configured ($WOO_ADMIN_TOKEN or --tokens), else `None`.
fn open_admin(
    index: &Path,
    tokens_file: Option<&Path>,
    files: Option<PathBuf>,
    upload_ocr: UploadOcr,
) -> anyhow::Result<Option<Arc<AdminState>>> {
    let environment_token = std::env::var(ADMIN_TOKEN_ENV).ok();
    let tokens = TokenSet::from_sources(environment_token.as_deref(), tokens_file)
        .map_err(anyhow::Error::msg)
        .context("cannot read the admin tokens")?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let config = AdminConfig {
        index_dir: index.to_path_buf(),
        files_dir: files.unwrap_or_else(|| default_files_dir(index)),
        tokens,
        extract_worker: std::env::current_exe().ok(),
        // Checked here once so a missing Tesseract is said at start, not per upload.
        ocr: upload_ocr.enabled && detect_ocr(upload_ocr.cache.clone()).is_some(),
        ocr_cache: Some(
            upload_ocr
                .cache
                .unwrap_or_else(woo_indexer::ocr::default_cache_dir),
        ),
    };
    let admin = AdminState::open(config).context("cannot open the index for the admin API")?;
    Ok(Some(Arc::new(admin)))
}

fn scale_corpus(pages: usize, seed: u64, corpus: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    use woo_fixtures::scale::{load_or_extract_source_texts, write_scale_corpus, ScaleOptions};
    let started = std::time::Instant::now();
    let worker = std::env::current_exe().ok();
    let texts = load_or_extract_source_texts(corpus, out, worker.as_ref())
        .with_context(|| format!("cannot take page texts from {}", corpus.display()))?;
    let source = woo_fixtures::scale::SourceTexts::from_pages(texts);
    let summary = write_scale_corpus(&source, &ScaleOptions { pages, seed }, out)
        .with_context(|| format!("cannot write the scale corpus into {}", out.display()))?;
    println!(
        "{} pages ({:.1} MB of text) in {} documents of {} publications, {} files in {}, from {} sentences of {} real pages, in {:.1} s",
        summary.pages,
        summary.text_bytes as f64 / 1e6,
        summary.documents,
        summary.publications,
        summary.files.len(),
        out.display(),
        source.sentence_count(),
        source.page_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn index_with_progress(
    options: &IndexOptions,
    control: &RunControl,
) -> anyhow::Result<IndexSummary> {
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files, {msg} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let pages = std::sync::atomic::AtomicU64::new(0);
    let progress = |event: Progress| match event {
        Progress::Discovered { files } => {
            if let Some(bar) = &bar {
                bar.set_length(files as u64);
            }
        }
        Progress::Problem(report) => {
            let message = format!(
                "failed: {}",
                report.error.as_deref().unwrap_or("cannot be read")
            );
            match &bar {
                Some(bar) => bar.println(message),
                None => eprintln!("{message}"),
            }
        }
        Progress::FileDone(report) => {
            let total = pages.fetch_add(
                u64::from(report.pages),
                std::sync::atomic::Ordering::Relaxed,
            ) + u64::from(report.pages);
            let message = match (&report.status, &report.error) {
                (FileStatus::Failed, Some(error)) => Some(format!("failed: {error}")),
                (FileStatus::Retracted, Some(reason)) => Some(format!("skipped: {reason}")),
                (_, Some(warning)) => Some(format!("warning: {warning}")),
                _ => None,
            };
            match &bar {
                Some(bar) => {
                    bar.inc(1);
                    bar.set_message(format!("{total} pages"));
                    if let Some(message) = message {
                        bar.println(message);
                    }
                }
                None => {
                    if let Some(message) = message {
                        eprintln!("{message}");
                    }
                }
            }
        }
    };
    let mut sink = IndexSink::open(&options.index_dir)
        .with_context(|| format!("cannot open index {}", options.index_dir.display()))?;
    let summary = run_index_in(&mut sink, options, control, &progress)
        .with_context(|| format!("indexing into {} failed", options.index_dir.display()))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    println!("{}", summary.line());
    Ok(summary)
}

/// What `woo index` is asked to do.
#[derive(clap::Args, Debug)]
struct IndexArguments {
    /// Index directory (created when absent).
    #[arg(long, env = "WOO_INDEX")]
    index: PathBuf,
    /// Files or folders (walked recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Extraction threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Do not OCR pages without a text layer (they are counted in the summary).
    #[arg(long)]
    no_ocr: bool,
    /// OCR cache directory (default: $WOO_OCR_CACHE or ~/.cache/woo-search/ocr).
    #[arg(long)]
    ocr_cache: Option<PathBuf>,
    /// Re-extract every file even when unchanged.
    #[arg(long)]
    force: bool,
    /// Write the per-file report to this file: CSV when its name ends in .csv, else JSON.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Remove the retraction of this document or publication id and index it again
    /// (repeatable). Without it, retracted ids are skipped.
    #[arg(long, value_name = "ID")]
    republish: Vec<String>,
}

/// How much load `woo serve` takes (RELIABILITY.md §4.3).
#[derive(clap::Args, Debug, Clone)]
struct LoadArguments {
    /// Requests a second one client address may make (bursts of twice that); beyond it the
    /// answer is 429 with Retry-After. 0: no limit. The admin API and /healthz are exempt.
    #[arg(long, default_value_t = woo_server::rate_limit::DEFAULT_REQUESTS_PER_SECOND, value_name = "N")]
    rate_limit: u32,
    /// Behind a reverse proxy: the header that names the client address (e.g.
    /// X-Forwarded-For; the rightmost address in it counts). Only set it when a proxy you
    /// trust sets the header.
    #[arg(long, value_name = "HEADER")]
    client_address_header: Option<String>,
    /// Searches that may wait for a free core; beyond it the answer is 503 (overloaded).
    #[arg(long, default_value_t = woo_server::search::DEFAULT_WAITING_SEARCHES, value_name = "N")]
    waiting_searches: usize,
    /// Milliseconds a search may take, waiting included; beyond it the answer is 503.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    search_budget_ms: u64,
    /// Seconds a connection has to send a request's whole header, counted from when it is
    /// ready for one (opened, or its last answer sent): also the idle keep-alive limit.
    #[arg(long, default_value_t = woo_server::server::DEFAULT_HEADER_READ_TIMEOUT.as_secs(), value_name = "S",
        value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,
    /// Seconds a request body may pause between two pieces (then 408, connection closed).
    #[arg(long, default_value_t = woo_server::server::DEFAULT_BODY_READ_TIMEOUT.as_secs(), value_name = "S",
        value_parser = clap::value_parser!(u64).range(1..))]
    body_read_timeout: u64,
    /// Seconds a request body may take in all (then 408, connection closed).
    #[arg(long, default_value_t = woo_server::server::DEFAULT_BODY_DEADLINE.as_secs(), value_name = "S",
        value_parser = clap::value_parser!(u64).range(1..))]
    body_deadline: u64,
    /// Most connections open at once; more wait in the listen backlog.
    #[arg(long, default_value_t = woo_server::server::DEFAULT_MAX_CONNECTIONS, value_name = "N")]
    max_connections: usize,
}

impl LoadArguments {
    fn limits(&self) -> woo_server::LoadLimits {
        woo_server::LoadLimits {
            waiting: self.waiting_searches,
            budget: std::time::Duration::from_millis(self.search_budget_ms),
            ..woo_server::LoadLimits::default()
        }
    }

    fn connection_limits(&self) -> woo_server::ConnectionLimits {
        woo_server::ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout),
            body_read_timeout: std::time::Duration::from_secs(self.body_read_timeout),
            body_deadline: std::time::Duration::from_secs(self.body_deadline),
            max_connections: self.max_connections,
        }
    }

    fn rate_limit(&self) -> Option<Arc<woo_server::rate_limit::RateLimit>> {
        woo_server::rate_limit::RateLimit::new(
            self.rate_limit,
            self.client_address_header.as_deref(),
        )
        .map(Arc::new)
    }
}

fn serve(
    search: SearchService,
    admin: Option<Arc<AdminState>>,
    addr: &str,
    public_url: Option<String>,
    load: &LoadArguments,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let documents = search.table().entries.len();
        eprintln!("woo: serving {documents} documents on http://{addr}/");
        let state = AppState {
            search: Arc::new(search),
            admin,
            rate_limit: load.rate_limit(),
            public_url,
        };
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        woo_server::serve_with_limits(listener, state, load.connection_limits(), ctrl_c)
            .await
            .context("server stopped with an error")
    })
}

fn extract(file: &PathBuf, json: bool, ocr: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let mut extracted = woo_indexer::readers::read_file(&name, &bytes, &PdfLimits::default())
        .with_context(|| format!("cannot extract {}", file.display()))?;
    if ocr {
        if let Some(engine) = detect_ocr(None) {
            woo_indexer::ocr::apply_ocr(&mut extracted, file, Some(&engine));
            for page in &extracted.pages {
                let not_ocred = page.needs_ocr && page.source != woo_core::TextSource::Ocr;
                if let (true, Some(problem)) = (not_ocred, &page.problem) {
                    eprintln!("woo: page {}: {problem}", page.page);
                }
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &extracted.pages)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for page in &extracted.pages {
        out.write_all(page.text.as_bytes())?;
        out.write_all(b"\n\x0c")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `woo check-redactions`: the covered words of every page of every file.
fn check_redactions(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut leaking_files = 0;
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.display().to_string();
        let extracted = woo_indexer::readers::read_file(&name, &bytes, &PdfLimits::default())
            .with_context(|| format!("cannot extract {}", file.display()))?;
        let leaks = woo_indexer::ingest::redaction_leaks(&extracted);
        if leaks.is_empty() {
            println!("{name}: no text under redaction boxes");
            continue;
        }
        leaking_files += 1;
        for leak in leaks {
            println!(
                "{name}: page {}: {} words under a redaction box",
                leak.page, leak.words
            );
        }
    }
    if leaking_files > 0 {
        eprintln!("woo: {leaking_files} file(s) with text under redaction boxes: withdraw and redact them properly");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn fixtures_dir() -> PathBuf {
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    if bundled.is_dir() {
        return bundled;
    }
    PathBuf::from("fixtures")
}

fn demo(addr: &str, load: &LoadArguments) -> anyhow::Result<ExitCode> {
    let fixtures = fixtures_dir();
    let index_dir = tempfile::tempdir().context("cannot create a temporary index directory")?;
    eprintln!(
        "woo: indexing {} into {}",
        fixtures.display(),
        index_dir.path().display()
    );
    let options = IndexOptions {
        ocr: detect_ocr(None),
        extract_worker: std::env::current_exe().ok(),
        ..IndexOptions::new(vec![fixtures], index_dir.path().to_path_buf())
    };
    index_with_progress(&options, &RunControl::default())?;
    let search = SearchService::open(index_dir.path())
        .context("cannot open the demo index")?
        .with_load_limits(load.limits());
    serve(search, None, addr, None, load)?;
    Ok(ExitCode::SUCCESS)
}
