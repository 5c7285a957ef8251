//! Scanned pages -> text: render one PDF page with `pdftoppm` (or take an image file as it
//! is, [`OcrEngine::ocr_image`]), OCR it with `tesseract`, and cache the result by page-image
//! hash so that no page is ever OCR'd twice, across runs too.
//!
//! Steps of [`OcrEngine::ocr_page`]:
//! 1. `pdfinfo -l N` -> page count and page size; the render resolution is 300 dpi, lowered
//!    only for huge pages so the image stays under [`MAX_PAGE_PIXELS`].
//! 2. `pdftoppm -r DPI -gray -f N -l N -singlefile` -> one PGM image in a fresh temporary
//!    directory (removed afterwards). Rasterising the page handles every image compression
//!    (CCITT, JBIG2, JPX, JPEG, Flate) and pages made of several images.
//! 3. SHA-256 of the image bytes plus the OCR settings -> cache file
//!    `CACHE/ab/cd/abcd….json` (two-level fan-out by hash prefix).
//! 4. On a cache miss: `tesseract IMAGE stdout -l nld+eng --psm 3 --dpi DPI tsv` with
//!    `OMP_THREAD_LIMIT=1` (multi-threaded Tesseract is 5x slower on a busy machine), killed
//!    after [`TESSERACT_TIMEOUT`].
//! 5. TSV -> text (words joined by spaces, lines by `\n`, paragraphs by an empty line) and the
//!    mean confidence of the recognised words.
//! 6. The result is stored atomically (temporary file + rename).
//!
//! [`OcrEngine`] is `Send + Sync`: one engine is shared by all rayon threads, and its counters
//! ([`OcrEngine::stats`]) are atomics.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPdf, TextSource};

/// Resolution pages are rendered at for OCR (Tesseract is trained on ~300 dpi text).
pub const RENDER_DPI: u32 = 300;
/// Largest page image rendered, in pixels (an A1 page at 300 dpi is ~70 million); larger pages
/// are rendered at a lower resolution.
pub const MAX_PAGE_PIXELS: f64 = 60_000_000.0;
/// A single page's Tesseract run is killed after this long.
pub const TESSERACT_TIMEOUT: Duration = Duration::from_secs(120);
/// Rendering one page with `pdftoppm` (or reading its size with `pdfinfo`) is killed after this long.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(60);
/// Tesseract's TSV output for one page is refused beyond this many bytes.
pub const MAX_TESSERACT_OUTPUT_BYTES: usize = 16 * 1024 * 1024;
/// Tesseract page segmentation mode: fully automatic page segmentation, no orientation detection.
const PAGE_SEGMENTATION_MODE: &str = "3";
/// Part of the cache key; bump it when the text built from the TSV changes.
const CACHE_FORMAT: &str = "woo-ocr-cache-v1";
/// `pdfinfo` output (about 50 bytes per page listed) is refused beyond this many bytes.
const MAX_PDFINFO_OUTPUT_BYTES: usize = 16 * 1024 * 1024;
/// At most this many bytes of a tool's error output are kept for an error message.
const MAX_STDERR_BYTES: usize = 64 * 1024;
/// Tools run while detecting the engine (`--version`, `--list-langs`) are killed after this long.
const DETECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Numbers handed out to temporary directories and files of this process, so names never collide.
static NEXT_TEMPORARY_NAME: AtomicU64 = AtomicU64::new(0);

/// An OCR engine: Tesseract plus pdftoppm, found on PATH.
#[derive(Debug)]
pub struct OcrEngine {
    tesseract_program: PathBuf,
    pdftoppm_program: PathBuf,
    pdfinfo_program: PathBuf,
    /// First line of `tesseract --version`, part of the cache key.
    tesseract_version: String,
    /// `nld+eng`, or `nld` when the English model is not installed.
    languages: String,
    cache_dir: Option<PathBuf>,
    pages_ocred: AtomicU64,
    pages_from_cache: AtomicU64,
    pages_failed: AtomicU64,
    tesseract_nanoseconds: AtomicU64,
    render_nanoseconds: AtomicU64,
}

/// The text Tesseract found on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrText {
    /// Words separated by spaces, lines by `\n`, paragraphs by an empty line.
    pub text: String,
    /// Mean word confidence, 0–100 (0 when no word was recognised).
    pub mean_confidence: f32,
    /// The result came from the cache; Tesseract did not run.
    pub from_cache: bool,
}

/// Counters since the engine was created (for the index summary: OCR pages/hour).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OcrStats {
    /// Pages Tesseract ran on.
    pub pages_ocred: u64,
    /// Pages served from the cache.
    pub pages_from_cache: u64,
    /// Pages that failed (render error, Tesseract error or timeout).
    pub pages_failed: u64,
    /// Time spent in Tesseract, summed over threads, in seconds.
    pub tesseract_seconds: f64,
    /// Time spent rendering pages (`pdfinfo` + `pdftoppm`), summed over threads, in seconds.
    pub render_seconds: f64,
}

/// What is stored in one cache file.
#[derive(Debug, Serialize, Deserialize)]
struct CachedOcrResult {
    text: String,
    mean_confidence: f32,
    /// The settings that were hashed into the key, for people inspecting the cache.
    settings: String,
}

/// Text and confidence built from Tesseract's TSV output.
#[derive(Debug, Clone, PartialEq)]
struct RecognizedPage {
    text: String,
    mean_confidence: f32,
}

/// Page count and size of one page, from `pdfinfo`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PageGeometry {
    page_count: u32,
    /// Width and height in points (1/72 inch), when `pdfinfo` reported them.
    size_in_points: Option<(f64, f64)>,
}

/// What a finished child process wrote.
#[derive(Debug)]
struct ProcessOutput {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl OcrEngine {
    /// Finds tesseract (with the `nld` language) and pdftoppm; None when either is missing.
    ///
    /// `pdfinfo` (shipped with pdftoppm in poppler-utils) is required too. Uses `eng` as a
    /// second language when installed. `cache_dir` None disables the cache; the directory is
    /// created on first use.
    pub fn detect(cache_dir: Option<PathBuf>) -> Option<OcrEngine> {
        let Some(tesseract_program) = find_program_on_path("tesseract") else {
            tracing::info!("ocr disabled: tesseract not found on PATH");
            return None;
        };
        let Some(pdftoppm_program) = find_program_on_path("pdftoppm") else {
            tracing::info!("ocr disabled: pdftoppm (poppler-utils) not found on PATH");
            return None;
        };
        let Some(pdfinfo_program) = find_program_on_path("pdfinfo") else {
            tracing::info!("ocr disabled: pdfinfo (poppler-utils) not found on PATH");
            return None;
        };
        let Some(tesseract_version) = read_tesseract_version(&tesseract_program) else {
            tracing::info!("ocr disabled: `tesseract --version` failed");
            return None;
        };
        let installed_languages = read_tesseract_languages(&tesseract_program);
        if !installed_languages.iter().any(|language| language == "nld") {
            tracing::info!(
                "ocr disabled: tesseract has no Dutch model (install tesseract-ocr-nld)"
            );
            return None;
        }
        let languages = if installed_languages.iter().any(|language| language == "eng") {
            "nld+eng".to_string()
        } else {
            "nld".to_string()
        };
        Some(OcrEngine {
            tesseract_program,
            pdftoppm_program,
            pdfinfo_program,
            tesseract_version,
            languages,
            cache_dir,
            pages_ocred: AtomicU64::new(0),
            pages_from_cache: AtomicU64::new(0),
            pages_failed: AtomicU64::new(0),
            tesseract_nanoseconds: AtomicU64::new(0),
            render_nanoseconds: AtomicU64::new(0),
        })
    }

    /// Renders page `page` (1-based) of the PDF at `pdf_path` and OCRs it (languages nld+eng).
    ///
    /// Served from the cache when the same page image was OCR'd before with the same settings.
    pub fn ocr_page(&self, pdf_path: &Path, page: u32) -> Result<OcrText> {
        let result = self.ocr_page_uncounted(pdf_path, page);
        if result.is_err() {
            self.pages_failed.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// Pages OCR'd and pages served from cache since creation (for the summary: OCR pages/hour).
    pub fn stats(&self) -> OcrStats {
        OcrStats {
            pages_ocred: self.pages_ocred.load(Ordering::Relaxed),
            pages_from_cache: self.pages_from_cache.load(Ordering::Relaxed),
            pages_failed: self.pages_failed.load(Ordering::Relaxed),
            tesseract_seconds: self.tesseract_nanoseconds.load(Ordering::Relaxed) as f64 / 1e9,
            render_seconds: self.render_nanoseconds.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }

    /// The Tesseract language string in use: `nld+eng` (or `nld`).
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// The first line of `tesseract --version`, e.g. `tesseract 5.3.0`.
    pub fn tesseract_version(&self) -> &str {
        &self.tesseract_version
    }

    /// The cache directory, if caching is on.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    /// [`OcrEngine::ocr_page`] without counting failures.
    fn ocr_page_uncounted(&self, pdf_path: &Path, page: u32) -> Result<OcrText> {
        if page == 0 {
            return Err(ocr_error(pdf_path, page, "page numbers start at 1"));
        }
        let render_started = Instant::now();
        let geometry = self.read_page_geometry(pdf_path, page)?;
        if page > geometry.page_count {
            let reason = format!(
                "page does not exist, the file has {} pages",
                geometry.page_count
            );
            return Err(ocr_error(pdf_path, page, &reason));
        }
        let dpi = render_dpi_for_page(geometry.size_in_points);
        let work_dir = TemporaryDirectory::create().map_err(|error| {
            ocr_error(
                pdf_path,
                page,
                &format!("cannot create temporary directory: {error}"),
            )
        })?;
        let image_path = self.render_page(pdf_path, page, dpi, work_dir.path())?;
        let image_bytes = std::fs::read(&image_path).map_err(|error| {
            ocr_error(
                pdf_path,
                page,
                &format!("cannot read rendered page: {error}"),
            )
        })?;
        add_elapsed(&self.render_nanoseconds, render_started);

        self.recognize(pdf_path, page, &image_path, &image_bytes, dpi)
    }

    /// OCRs an image file (a scan delivered as `.png`, `.jpg`, `.tif`) as one page, read as
    /// [`RENDER_DPI`] (scans in Woo releases are 200–300 dpi). Cached like a page.
    pub fn ocr_image(&self, image_path: &Path) -> Result<OcrText> {
        let image_bytes = std::fs::read(image_path).map_err(|error| {
            ocr_error(image_path, 1, &format!("cannot read the image: {error}"))
        })?;
        let result = self.recognize(image_path, 1, image_path, &image_bytes, RENDER_DPI);
        if result.is_err() {
            self.pages_failed.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// The text of one page image: from the cache when the same image was OCR'd before with
    /// the same settings, else by Tesseract (and then cached). `file` and `page` name it in
    /// errors.
    fn recognize(
        &self,
        file: &Path,
        page: u32,
        image_path: &Path,
        image_bytes: &[u8],
        dpi: u32,
    ) -> Result<OcrText> {
        let settings = self.settings_description(dpi);
        let cache_key = cache_key_for(image_bytes, &settings);
        if let Some(cached) = self.read_cache(&cache_key) {
            self.pages_from_cache.fetch_add(1, Ordering::Relaxed);
            return Ok(OcrText {
                text: cached.text,
                mean_confidence: cached.mean_confidence,
                from_cache: true,
            });
        }

        let tesseract_started = Instant::now();
        let tsv = self.run_tesseract(file, page, image_path, dpi)?;
        add_elapsed(&self.tesseract_nanoseconds, tesseract_started);
        self.pages_ocred.fetch_add(1, Ordering::Relaxed);
        let recognized = parse_tesseract_tsv(&tsv);
        self.write_cache(&cache_key, &recognized, &settings);
        Ok(OcrText {
            text: recognized.text,
            mean_confidence: recognized.mean_confidence,
            from_cache: false,
        })
    }

    /// Everything besides the image that changes Tesseract's output; hashed into the cache key.
    fn settings_description(&self, dpi: u32) -> String {
        format!(
            "{CACHE_FORMAT}\nlanguages={}\npsm={PAGE_SEGMENTATION_MODE}\ndpi={dpi}\nversion={}\n",
            self.languages, self.tesseract_version
        )
    }

    /// Runs `pdfinfo -l N` for the page count and the page's size. (It lists the sizes of
    /// pages 1 to N; `-f N -l N` would fail for a page beyond the end instead of giving the
    /// page count.)
    fn read_page_geometry(&self, pdf_path: &Path, page: u32) -> Result<PageGeometry> {
        let mut command = Command::new(&self.pdfinfo_program);
        command.arg("-l").arg(page.to_string()).arg(pdf_path);
        let output = run_process_with_timeout(command, RENDER_TIMEOUT, MAX_PDFINFO_OUTPUT_BYTES)
            .map_err(|reason| ocr_error(pdf_path, page, &format!("pdfinfo: {reason}")))?;
        if !output.status.success() {
            let reason = format!(
                "pdfinfo failed ({}): {}",
                output.status,
                last_line(&output.stderr)
            );
            return Err(ocr_error(pdf_path, page, &reason));
        }
        let Some(geometry) = parse_pdfinfo_output(&String::from_utf8_lossy(&output.stdout), page)
        else {
            return Err(ocr_error(pdf_path, page, "pdfinfo reported no page count"));
        };
        Ok(geometry)
    }

    /// Renders the page to `WORK_DIR/page.pgm` (8-bit grey) and returns that path.
    fn render_page(
        &self,
        pdf_path: &Path,
        page: u32,
        dpi: u32,
        work_dir: &Path,
    ) -> Result<PathBuf> {
        let output_prefix = work_dir.join("page");
        let mut command = Command::new(&self.pdftoppm_program);
        command
            .arg("-r")
            .arg(dpi.to_string())
            .arg("-gray")
            .arg("-f")
            .arg(page.to_string())
            .arg("-l")
            .arg(page.to_string())
            .arg("-singlefile")
            .arg(pdf_path)
            .arg(&output_prefix);
        let output = run_process_with_timeout(command, RENDER_TIMEOUT, MAX_STDERR_BYTES)
            .map_err(|reason| ocr_error(pdf_path, page, &format!("pdftoppm: {reason}")))?;
        if !output.status.success() {
            let reason = format!(
                "pdftoppm failed ({}): {}",
                output.status,
                last_line(&output.stderr)
            );
            return Err(ocr_error(pdf_path, page, &reason));
        }
        let image_path = work_dir.join("page.pgm");
        if !image_path.is_file() {
            return Err(ocr_error(pdf_path, page, "pdftoppm wrote no image"));
        }
        Ok(image_path)
    }

    /// Runs Tesseract on the image and returns its TSV output.
    fn run_tesseract(
        &self,
        pdf_path: &Path,
        page: u32,
        image_path: &Path,
        dpi: u32,
    ) -> Result<String> {
        let mut command = Command::new(&self.tesseract_program);
        command
            .env("OMP_THREAD_LIMIT", "1")
            .arg(image_path)
            .arg("stdout")
            .arg("-l")
            .arg(&self.languages)
            .arg("--psm")
            .arg(PAGE_SEGMENTATION_MODE)
            .arg("--dpi")
            .arg(dpi.to_string())
            .arg("tsv");
        let output =
            run_process_with_timeout(command, TESSERACT_TIMEOUT, MAX_TESSERACT_OUTPUT_BYTES)
                .map_err(|reason| ocr_error(pdf_path, page, &format!("tesseract: {reason}")))?;
        if !output.status.success() {
            let reason = format!(
                "tesseract failed ({}): {}",
                output.status,
                last_line(&output.stderr)
            );
            return Err(ocr_error(pdf_path, page, &reason));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Reads a cached result; any problem (no cache, missing or damaged file) is a miss.
    fn read_cache(&self, cache_key: &str) -> Option<CachedOcrResult> {
        let cache_dir = self.cache_dir.as_ref()?;
        let bytes = std::fs::read(cache_file_path(cache_dir, cache_key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores a result: written to a temporary file next to its final name, then renamed, so a
    /// reader never sees half a file. Failing to store is logged, not an error: the page text
    /// is still good.
    fn write_cache(&self, cache_key: &str, recognized: &RecognizedPage, settings: &str) {
        let Some(cache_dir) = self.cache_dir.as_ref() else {
            return;
        };
        let cached = CachedOcrResult {
            text: recognized.text.clone(),
            mean_confidence: recognized.mean_confidence,
            settings: settings.to_string(),
        };
        let final_path = cache_file_path(cache_dir, cache_key);
        if let Err(error) = write_file_atomically(&final_path, &cached) {
            tracing::warn!(
                "cannot write ocr cache file {}: {error}",
                final_path.display()
            );
        }
    }
}

/// Where OCR results are cached: `$WOO_OCR_CACHE`, else `$XDG_CACHE_HOME/woo-search/ocr`,
/// else `~/.cache/woo-search/ocr` (else `woo-search-ocr` in the temporary directory).
pub fn default_cache_dir() -> PathBuf {
    cache_dir_from_environment(
        std::env::var_os("WOO_OCR_CACHE"),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

/// [`default_cache_dir`] on given variable values; empty values count as unset, and a relative
/// `XDG_CACHE_HOME` is ignored as the XDG specification says.
fn cache_dir_from_environment(
    woo_ocr_cache: Option<OsString>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
) -> PathBuf {
    if let Some(dir) = woo_ocr_cache.filter(|value| !value.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = xdg_cache_home
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
    {
        return dir.join("woo-search").join("ocr");
    }
    if let Some(home) = home.filter(|value| !value.is_empty()) {
        return PathBuf::from(home)
            .join(".cache")
            .join("woo-search")
            .join("ocr");
    }
    std::env::temp_dir().join("woo-search-ocr")
}

/// `IndexerError::Ocr` with a message naming the file and page.
fn ocr_error(pdf_path: &Path, page: u32, reason: &str) -> IndexerError {
    IndexerError::Ocr(format!("{} page {page}: {reason}", pdf_path.display()))
}

/// Adds the time since `started` to a nanosecond counter.
fn add_elapsed(counter: &AtomicU64, started: Instant) {
    let nanoseconds = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    counter.fetch_add(nanoseconds, Ordering::Relaxed);
}

/// 300 dpi, or less when the page would exceed [`MAX_PAGE_PIXELS`] (never below 1 dpi).
fn render_dpi_for_page(size_in_points: Option<(f64, f64)>) -> u32 {
    let Some((width_points, height_points)) = size_in_points else {
        return RENDER_DPI;
    };
    let inches_squared = (width_points / 72.0) * (height_points / 72.0);
    let pixels_at_render_dpi = inches_squared * f64::from(RENDER_DPI) * f64::from(RENDER_DPI);
    if !pixels_at_render_dpi.is_finite() || pixels_at_render_dpi <= MAX_PAGE_PIXELS {
        return RENDER_DPI;
    }
    let reduced_dpi = (MAX_PAGE_PIXELS / inches_squared).sqrt().floor();
    (reduced_dpi as u32).clamp(1, RENDER_DPI)
}

/// Reads `Pages:` and `Page    N size: W x H pts` from `pdfinfo -l N` output.
fn parse_pdfinfo_output(pdfinfo_output: &str, page: u32) -> Option<PageGeometry> {
    let mut page_count = None;
    let mut size_in_points = None;
    let page_size_prefix = format!("Page {page} size:");
    for line in pdfinfo_output.lines() {
        if let Some(value) = line.strip_prefix("Pages:") {
            page_count = value.trim().parse::<u32>().ok();
            continue;
        }
        // pdfinfo pads the page number: "Page    1 size: 595.2 x 841.44 pts (A4)".
        let squeezed: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(value) = squeezed.strip_prefix(&page_size_prefix) {
            size_in_points = parse_points_pair(value);
        }
    }
    Some(PageGeometry {
        page_count: page_count?,
        size_in_points,
    })
}

/// Parses `595.2 x 841.44 pts (A4)` into (595.2, 841.44).
fn parse_points_pair(value: &str) -> Option<(f64, f64)> {
    let mut parts = value.split_whitespace();
    let width = parts.next()?.parse::<f64>().ok()?;
    if parts.next()? != "x" {
        return None;
    }
    let height = parts.next()?.parse::<f64>().ok()?;
    if width <= 0.0 || height <= 0.0 {
        return None;
    }
    Some((width, height))
}

/// Builds the page text and mean confidence from Tesseract's TSV output.
///
/// Only word rows (level 5) with non-blank text count. Words of one line are joined by a space,
/// lines by `\n`, and a new paragraph or block starts after an empty line. The mean confidence
/// is over words with confidence ≥ 0.
fn parse_tesseract_tsv(tsv: &str) -> RecognizedPage {
    let mut text = String::new();
    let mut previous_line_key: Option<(&str, &str, &str)> = None;
    let mut confidence_sum = 0.0_f64;
    let mut confidence_count = 0_u32;
    for row in tsv.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        if columns.len() < 12 || columns[0] != "5" {
            continue;
        }
        let word = columns[11].trim();
        if word.is_empty() {
            continue;
        }
        let line_key = (columns[2], columns[3], columns[4]);
        if let Some((previous_block, previous_paragraph, previous_line)) = previous_line_key {
            if (previous_block, previous_paragraph) != (line_key.0, line_key.1) {
                text.push_str("\n\n");
            } else if previous_line != line_key.2 {
                text.push('\n');
            } else {
                text.push(' ');
            }
        }
        text.push_str(word);
        previous_line_key = Some(line_key);
        if let Ok(confidence) = columns[10].trim().parse::<f64>() {
            if confidence >= 0.0 {
                confidence_sum += confidence;
                confidence_count += 1;
            }
        }
    }
    let mean_confidence = if confidence_count == 0 {
        0.0
    } else {
        (confidence_sum / f64::from(confidence_count)) as f32
    };
    RecognizedPage {
        text,
        mean_confidence,
    }
}

/// Pages [`apply_ocr`] gave OCR text, and pages that needed OCR but did not get it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OcrCounts {
    /// Pages whose text now comes from OCR (fresh or cached).
    pub ocr_pages: u32,
    /// Pages that needed OCR and had none: no engine, or OCR failed.
    pub skipped_pages: u32,
}

/// OCRs the pages of `extracted` (the PDF at `path`) that need it, with `ocr` when there is an
/// engine. A page keeps its text when OCR finds no letters or digits; a failure or an empty
/// result is noted as the page's `problem`.
pub fn apply_ocr(extracted: &mut ExtractedPdf, path: &Path, ocr: Option<&OcrEngine>) -> OcrCounts {
    let mut counts = OcrCounts::default();
    for page in &mut extracted.pages {
        if !page.needs_ocr {
            continue;
        }
        let Some(engine) = ocr else {
            counts.skipped_pages += 1;
            continue;
        };
        let recognized = if extracted.format.as_deref() == Some("image") {
            engine.ocr_image(path)
        } else {
            engine.ocr_page(path, page.page)
        };
        match recognized {
            Ok(result) => {
                let alphanumeric = result.text.chars().filter(|c| c.is_alphanumeric()).count();
                if alphanumeric > 0 {
                    page.text = result.text;
                    page.source = TextSource::Ocr;
                    page.ocr_confidence = Some(result.mean_confidence);
                    counts.ocr_pages += 1;
                } else {
                    page.problem = Some("ocr found no text".to_string());
                }
            }
            Err(error) => {
                counts.skipped_pages += 1;
                page.problem = Some(error.to_string());
            }
        }
    }
    counts
}

/// Lowercase hex SHA-256 of the settings followed by the image bytes.
fn cache_key_for(image_bytes: &[u8], settings: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(settings.as_bytes());
    hasher.update([0_u8]);
    hasher.update(image_bytes);
    woo_core::ids::hex(&hasher.finalize())
}

/// `CACHE_DIR/ab/cd/abcd….json` for key `abcd…`.
fn cache_file_path(cache_dir: &Path, cache_key: &str) -> PathBuf {
    let first_level = cache_key.get(0..2).unwrap_or("00");
    let second_level = cache_key.get(2..4).unwrap_or("00");
    cache_dir
        .join(first_level)
        .join(second_level)
        .join(format!("{cache_key}.json"))
}

/// Writes JSON to a unique temporary file in the target's directory, then renames it into place.
fn write_file_atomically(final_path: &Path, cached: &CachedOcrResult) -> std::io::Result<()> {
    let Some(directory) = final_path.parent() else {
        return Err(std::io::Error::other("cache path has no directory"));
    };
    std::fs::create_dir_all(directory)?;
    let json = serde_json::to_vec(cached).map_err(std::io::Error::other)?;
    let temporary_path = directory.join(format!(".tmp-{}", unique_name_suffix()));
    if let Err(error) = std::fs::write(&temporary_path, &json) {
        let _ = std::fs::remove_file(&temporary_path);
        return Err(error);
    }
    if let Err(error) = std::fs::rename(&temporary_path, final_path) {
        let _ = std::fs::remove_file(&temporary_path);
        return Err(error);
    }
    Ok(())
}

/// `PID-NANOS-COUNTER`: unique within this machine for temporary names.
fn unique_name_suffix() -> String {
    let counter = NEXT_TEMPORARY_NAME.fetch_add(1, Ordering::Relaxed);
    let nanoseconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.subsec_nanos())
        .unwrap_or(0);
    format!("{}-{nanoseconds}-{counter}", std::process::id())
}

/// A directory under the system temporary directory, removed with its contents when dropped.
struct TemporaryDirectory {
    path: PathBuf,
}

impl TemporaryDirectory {
    /// Creates `TMP/woo-ocr-PID-NANOS-COUNTER` (fails rather than reuse an existing directory).
    fn create() -> std::io::Result<TemporaryDirectory> {
        let path = std::env::temp_dir().join(format!("woo-ocr-{}", unique_name_suffix()));
        std::fs::create_dir(&path)?;
        Ok(TemporaryDirectory { path })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TemporaryDirectory {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The first executable file called `name` in the directories of `$PATH`.
fn find_program_on_path(name: &str) -> Option<PathBuf> {
    let path_variable = std::env::var_os("PATH")?;
    for directory in std::env::split_paths(&path_variable) {
        let candidate = directory.join(name);
        if is_executable_file(&candidate) {
            return Some(candidate);
        }
    }
    None
}

#[cfg(unix)]
fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(metadata) => metadata.is_file() && metadata.permissions().mode() & 0o111 != 0,
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn is_executable_file(path: &Path) -> bool {
    path.is_file()
}

/// First line of `tesseract --version` (stdout for 4.x/5.x, stderr for older versions).
fn read_tesseract_version(tesseract_program: &Path) -> Option<String> {
    let mut command = Command::new(tesseract_program);
    command.arg("--version");
    let output = run_process_with_timeout(command, DETECT_TIMEOUT, MAX_STDERR_BYTES).ok()?;
    if !output.status.success() {
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first_line = stdout
        .lines()
        .chain(stderr.lines())
        .map(str::trim)
        .find(|line| !line.is_empty())?;
    Some(first_line.to_string())
}

/// The language models Tesseract reports with `--list-langs` (one per line after a heading).
fn read_tesseract_languages(tesseract_program: &Path) -> Vec<String> {
    let mut command = Command::new(tesseract_program);
    command.arg("--list-langs");
    let Ok(output) = run_process_with_timeout(command, DETECT_TIMEOUT, MAX_STDERR_BYTES) else {
        return Vec::new();
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut languages = Vec::new();
    for line in stdout.lines().chain(stderr.lines()) {
        let line = line.trim();
        if line.is_empty() || line.contains(' ') {
            continue;
        }
        languages.push(line.to_string());
    }
    languages
}

/// The last non-empty line of a tool's error output, for error messages.
fn last_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text
        .lines()
        .map(str::trim)
        .rev()
        .find(|line| !line.is_empty());
    line.unwrap_or("no error output").to_string()
}

/// Runs a command with stdin closed, collecting stdout (refused beyond `stdout_limit` bytes)
/// and the first [`MAX_STDERR_BYTES`] of stderr; kills it after `timeout`.
fn run_process_with_timeout(
    mut command: Command,
    timeout: Duration,
    stdout_limit: usize,
) -> std::result::Result<ProcessOutput, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|error| format!("cannot start {program}: {error}"))?;
    let (Some(stdout_pipe), Some(stderr_pipe)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("cannot read the output of {program}"));
    };
    let stdout_reader = std::thread::spawn(move || read_up_to_limit(stdout_pipe, stdout_limit));
    let stderr_reader = std::thread::spawn(move || read_up_to_limit(stderr_pipe, MAX_STDERR_BYTES));

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("cannot wait for {program}: {error}"));
            }
        }
        if started.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            let _ = stdout_reader.join();
            let _ = stderr_reader.join();
            return Err(format!(
                "{program} timed out after {} s and was killed",
                timeout.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stdout_truncated) = stdout_reader.join().unwrap_or_default();
    let (stderr, _) = stderr_reader.join().unwrap_or_default();
    if stdout_truncated {
        return Err(format!("{program} wrote more than {stdout_limit} bytes"));
    }
    Ok(ProcessOutput {
        status,
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end, keeping at most `limit` bytes; the flag says whether more came.
/// The rest is drained so the child never blocks on a full pipe.
fn read_up_to_limit(mut pipe: impl Read, limit: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut buffer = [0_u8; 64 * 1024];
    let mut truncated = false;
    loop {
        let read = match pipe.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let room = limit.saturating_sub(kept.len());
        if read > room {
            truncated = true;
        }
        kept.extend_from_slice(&buffer[..read.min(room)]);
    }
    (kept, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scanned, redacted Woo request letter (2 pages, no text layer).
    const SCANNED_LETTER: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/tpdl-text-redaction/Woo-verzoek_Geredigeerd.pdf"
    );

    fn engine_or_skip(cache_dir: Option<PathBuf>) -> Option<OcrEngine> {
        let engine = OcrEngine::detect(cache_dir);
        if engine.is_none() {
            eprintln!(
                "skipping: tesseract with the nld model, pdftoppm or pdfinfo is not installed"
            );
        }
        engine
    }

    fn scanned_letter_or_skip() -> Option<PathBuf> {
        let path = PathBuf::from(SCANNED_LETTER);
        if !path.is_file() {
            eprintln!("skipping: corpus file {SCANNED_LETTER} is absent");
            return None;
        }
        Some(path)
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_and_sync<T: Send + Sync>() {}
        assert_send_and_sync::<OcrEngine>();
    }

    #[test]
    fn tsv_becomes_lines_and_paragraphs_with_mean_word_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t2480\t3506\t-1\t\n\
            4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t\n\
            5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.0\tGeachte\n\
            5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80.0\theer,\n\
            5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70.0\tWoo-verzoek\n\
            5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t95.0\t \n\
            5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t60.0\tMet\n\
            5\t1\t2\t1\t1\t2\t0\t0\t10\t10\t-1\tgroet\n";
        let page = parse_tesseract_tsv(tsv);
        assert_eq!(page.text, "Geachte heer,\nWoo-verzoek\n\nMet groet");
        assert!(
            (page.mean_confidence - 75.0).abs() < 1e-4,
            "{}",
            page.mean_confidence
        );
    }

    #[test]
    fn tsv_without_words_gives_empty_text_and_zero_confidence() {
        let page = parse_tesseract_tsv("level\tpage_num\n1\t1\t0\t0\t0\t0\t0\t0\t1\t1\t-1\t\n");
        assert_eq!(
            page,
            RecognizedPage {
                text: String::new(),
                mean_confidence: 0.0
            }
        );
    }

    #[test]
    fn pdfinfo_output_gives_page_count_and_padded_page_size() {
        let output =
            "Producer:        x\nPages:           2\nPage    1 size:  595.2 x 841.44 pts (A4)\n";
        let geometry = parse_pdfinfo_output(output, 1).unwrap();
        assert_eq!(
            geometry,
            PageGeometry {
                page_count: 2,
                size_in_points: Some((595.2, 841.44))
            }
        );
        assert_eq!(parse_pdfinfo_output("Producer: x\n", 1), None);
    }

    #[test]
    fn huge_pages_are_rendered_below_the_pixel_limit() {
        assert_eq!(render_dpi_for_page(None), RENDER_DPI);
        assert_eq!(render_dpi_for_page(Some((595.0, 842.0))), RENDER_DPI);
        // A0 (2384 x 3370 pt) at 300 dpi would be ~139 million pixels.
        let dpi = render_dpi_for_page(Some((2384.0, 3370.0)));
        assert!(dpi < RENDER_DPI && dpi > 150, "{dpi}");
        let pixels = (2384.0 / 72.0 * f64::from(dpi)) * (3370.0 / 72.0 * f64::from(dpi));
        assert!(pixels <= MAX_PAGE_PIXELS);
        assert_eq!(render_dpi_for_page(Some((1e12, 1e12))), 1);
    }

    #[test]
    fn cache_files_fan_out_by_two_hash_prefixes() {
        let key = cache_key_for(b"P5\n1 1\n255\n\x00", "settings");
        assert_eq!(key.len(), 64);
        assert_ne!(key, cache_key_for(b"P5\n1 1\n255\n\x00", "other settings"));
        let path = cache_file_path(Path::new("/cache"), &key);
        let expected = format!("/cache/{}/{}/{key}.json", &key[0..2], &key[2..4]);
        assert_eq!(path, PathBuf::from(expected));
    }

    #[test]
    fn cache_dir_prefers_woo_variable_then_xdg_then_home() {
        let some = |value: &str| Some(OsString::from(value));
        assert_eq!(
            cache_dir_from_environment(some("/w"), some("/x"), some("/h")),
            PathBuf::from("/w")
        );
        assert_eq!(
            cache_dir_from_environment(some(""), some("/x"), some("/h")),
            PathBuf::from("/x/woo-search/ocr")
        );
        assert_eq!(
            cache_dir_from_environment(None, some("relative"), some("/h")),
            PathBuf::from("/h/.cache/woo-search/ocr")
        );
    }

    #[test]
    fn atomic_cache_write_then_read_round_trips() {
        let cache_dir = tempfile::tempdir().unwrap();
        let path = cache_file_path(cache_dir.path(), &"ab".repeat(32));
        let cached = CachedOcrResult {
            text: "Geachte".into(),
            mean_confidence: 91.5,
            settings: "s".into(),
        };
        write_file_atomically(&path, &cached).unwrap();
        let read: CachedOcrResult = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            (read.text.as_str(), read.mean_confidence),
            ("Geachte", 91.5)
        );
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file may remain");
    }

    #[cfg(unix)]
    #[test]
    fn a_process_running_too_long_is_killed() {
        let mut command = Command::new("sleep");
        command.arg("10");
        let started = Instant::now();
        let error =
            run_process_with_timeout(command, Duration::from_millis(200), 1024).unwrap_err();
        assert!(error.contains("timed out"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn missing_pages_are_reported_with_file_and_page() {
        let Some(engine) = engine_or_skip(None) else {
            return;
        };
        let Some(pdf_path) = scanned_letter_or_skip() else {
            return;
        };
        let message = engine.ocr_page(&pdf_path, 9).unwrap_err().to_string();
        assert!(
            message.contains("Woo-verzoek_Geredigeerd.pdf page 9"),
            "{message}"
        );
        assert!(message.contains("has 2 pages"), "{message}");
        assert_eq!(engine.stats().pages_failed, 1);
    }

    /// OCRs one real scanned page (~5 s), then asks again and must be served from the cache.
    #[test]
    fn scanned_corpus_page_is_read_in_dutch_and_cached() {
        let cache_dir = tempfile::tempdir().unwrap();
        let Some(engine) = engine_or_skip(Some(cache_dir.path().to_path_buf())) else {
            return;
        };
        let Some(pdf_path) = scanned_letter_or_skip() else {
            return;
        };

        let first = engine.ocr_page(&pdf_path, 1).unwrap();
        assert!(!first.from_cache);
        let lowercase = first.text.to_lowercase();
        for word in ["geachte", "gemeente", "algoritmes", "verzoek", "informatie"] {
            assert!(
                lowercase.contains(word),
                "missing {word:?} in OCR text:\n{}",
                first.text
            );
        }
        assert!(
            first.mean_confidence > 60.0 && first.mean_confidence <= 100.0,
            "{}",
            first.mean_confidence
        );

        let started = Instant::now();
        let second = engine.ocr_page(&pdf_path, 1).unwrap();
        let cached_duration = started.elapsed();
        assert!(second.from_cache);
        assert_eq!(second.text, first.text);
        assert_eq!(second.mean_confidence, first.mean_confidence);
        assert!(
            cached_duration < Duration::from_secs(3),
            "cache hit took {cached_duration:?}"
        );

        let stats = engine.stats();
        assert_eq!(
            (
                stats.pages_ocred,
                stats.pages_from_cache,
                stats.pages_failed
            ),
            (1, 1, 0)
        );
        assert!(stats.tesseract_seconds > 0.0);
    }
}
