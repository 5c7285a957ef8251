//! What a run is asked to do: [`IndexOptions`] (inputs, index directory, OCR, limits, threads,
//! the extraction worker) and [`RunControl`] (how a run writes beyond what `woo index` needs).

use std::path::PathBuf;

use crate::ocr::OcrEngine;
use crate::pdf::PdfLimits;

/// What `woo index` was asked to do.
pub struct IndexOptions {
    /// Index directory (created when absent).
    pub index_dir: PathBuf,
    /// Files and folders to index (folders are walked recursively).
    pub inputs: Vec<PathBuf>,
    /// OCR engine for pages without a usable text layer; `None` skips OCR (pages are counted).
    pub ocr: Option<OcrEngine>,
    /// Extraction limits.
    pub limits: PdfLimits,
    /// Worker threads for extraction (0 = number of cores).
    pub jobs: usize,
    /// Re-extract files even when their content hash is unchanged.
    pub force: bool,
    /// The `woo` program, run as `woo extract-worker` per file under resource limits
    /// ([`crate::worker`]); `None` (or a missing file) extracts in this process.
    pub extract_worker: Option<PathBuf>,
    /// The folder sources (and so the default document ids) are relative to; `None`: each
    /// input's own folder. The admin upload sets its files directory, so a file of
    /// publication `P` is `P/name.pdf` and its default id is derived from the publication.
    pub source_root: Option<PathBuf>,
}

impl IndexOptions {
    /// Indexing `inputs` into `index_dir` with the defaults: no OCR, default limits, one
    /// thread per core, unchanged files skipped, extraction in this process. Set the other
    /// fields after, or with `IndexOptions { ocr: Some(engine), ..IndexOptions::new(inputs, dir) }`.
    pub fn new(inputs: Vec<PathBuf>, index_dir: PathBuf) -> IndexOptions {
        IndexOptions {
            index_dir,
            inputs,
            ocr: None,
            limits: PdfLimits::default(),
            jobs: 0,
            force: false,
            extract_worker: None,
            source_root: None,
        }
    }
}

/// How a run writes, beyond [`IndexOptions`] (what `woo index` needs is the default).
#[derive(Debug, Clone, Default)]
pub struct RunControl {
    /// Ids (document or publication) whose tombstones are removed before the run, so they are
    /// indexed again: re-publication on purpose.
    pub republish: Vec<String>,
    /// Delete every document of this publication id first, in the same commit as the new
    /// documents: an upload replaces its publication, leaving no stale documents or pages.
    pub replace_publication: Option<String>,
    /// Write everything in one commit (atomic: all documents of the run or none).
    pub single_commit: bool,
}
