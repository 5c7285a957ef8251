//! Walking the inputs into the list of work: the PDFs to extract, the text-page files, the
//! metadata (`publication.json`, sidecars and DiWoo sitemaps, gathered in a
//! [`MetadataCatalog`]), the inventory candidates, and the documents that have no file
//! (complaint records, sitemap entries whose file is not on disk). What cannot be read is a
//! [`FileReport`] in [`Discovery::problems`]; the walk goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::metadata::{self, MetadataCatalog};
use crate::report::{failure, FileReport};
use woo_core::model::Document;

/// One file found in the inputs.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file on disk (normalised, see [`metadata::normalise_path`]).
    pub path: PathBuf,
    /// Its path relative to its input folder, as shown in reports and stored as `source`.
    pub source: String,
}

/// Everything found by walking the inputs.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Document files to extract (PDFs and every other format a reader takes), each once.
    pub pdfs: Vec<InputFile>,
    /// Metadata of the PDFs: `publication.json` files, sidecars, DiWoo sitemap entries.
    pub catalog: MetadataCatalog,
    /// Files (and metadata files) that could not be read, with the reason.
    pub problems: Vec<FileReport>,
    /// Inventory candidates (`*.xlsx`, `*.csv`) with their path relative to the input.
    pub inventory_files: Vec<InputFile>,
    /// Complaint judgements read from `*.klachten.csv` / `*.klachten.jsonl`.
    pub complaints: Vec<Document>,
    /// DiWoo sitemap entries whose file is not on disk: documents without pages.
    pub diwoo_entries: Vec<Document>,
    /// Inventory files named by a `publication.json` (`"inventory"`), with its publication.
    pub named_inventories: HashMap<PathBuf, (String, String)>,
    /// Text-page files (`*.pages.jsonl`, see [`crate::pages`]) and their record count.
    pub page_files: Vec<(InputFile, usize)>,
}

/// Whether the file name ends in `.pdf` (any case).
pub fn is_pdf_name(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("pdf"))
}

/// `path` relative to `root`, with `/` separators.
pub fn relative_source(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// Walks the inputs: PDFs to index, `publication.json` files to read, text-page files,
/// complaint records, DiWoo sitemaps and inventory candidates. Inventories are read and linked
/// afterwards ([`crate::inventory::link`]). Sources are relative to `source_root` when given,
/// else to each input folder (to the folder of an input file).
pub fn discover(inputs: &[PathBuf], source_root: Option<&Path>) -> Discovery {
    let mut discovery = Discovery::default();
    for input in inputs {
        if input.is_file() {
            let root = source_root.unwrap_or(input.parent().unwrap_or(Path::new("")));
            add_input_file(&mut discovery, input, root);
            continue;
        }
        if !input.is_dir() {
            discovery.problems.push(failure(
                input,
                &input.to_string_lossy(),
                format!("{}: no such file or directory", input.display()),
            ));
            continue;
        }
        add_folder(&mut discovery, input, source_root.unwrap_or(input));
    }
    // A PDF named by a sitemap may also be found by walking its folder: index it once.
    let mut seen = std::collections::HashSet::new();
    discovery.pdfs.retain(|pdf| seen.insert(pdf.path.clone()));
    discovery
}

/// An input that is a file: a PDF (with the `publication.json` beside it), a text-page file or
/// a sitemap. Sources are relative to `root`.
fn add_input_file(discovery: &mut Discovery, input: &Path, root: &Path) {
    let folder = input.parent().unwrap_or(Path::new(""));
    let is_xml = crate::diwoo::is_sitemap_candidate(input);
    let is_json = is_json_name(input);
    if is_pdf_name(input)
        || (crate::readers::is_document_name(input) && !is_xml && !is_json)
        || (is_json && is_dossier_json_file(input))
    {
        discovery.pdfs.push(InputFile {
            path: metadata::normalise_path(input),
            source: relative_source(root, input),
        });
    } else if crate::pages::is_page_file(input) {
        add_page_file(discovery, input, root);
    }
    if crate::diwoo::is_sitemap_candidate(input) {
        add_sitemap(discovery, input, root);
    }
    let publication = folder.join("publication.json");
    if publication.is_file() {
        add_publication(discovery, &publication, root);
    }
}

/// Every file under the input folder `input`, in file-name order; sources relative to `root`.
fn add_folder(discovery: &mut Discovery, input: &Path, root: &Path) {
    for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(input).to_path_buf();
                let source = relative_source(root, &path);
                discovery
                    .problems
                    .push(failure(&path, &source, format!("cannot walk: {error}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if path
            .file_name()
            .is_some_and(|name| name == "publication.json")
        {
            add_publication(discovery, path, root);
        } else if is_pdf_name(path) {
            discovery.pdfs.push(InputFile {
                path: metadata::normalise_path(path),
                source: relative_source(root, path),
            });
        } else if crate::pages::is_page_file(path) {
            add_page_file(discovery, path, root);
        } else if crate::complaint::is_complaint_file(path) {
            add_complaints(discovery, path, &relative_source(root, path));
        } else if crate::diwoo::is_sitemap_candidate(path) {
            add_sitemap(discovery, path, root);
        } else if crate::inventory::is_inventory_candidate(path) {
            discovery.inventory_files.push(InputFile {
                path: metadata::normalise_path(path),
                source: relative_source(root, path),
            });
        } else if is_json_name(path) {
            // Sidecars and publication.json are metadata; a dossier of e-mails is a document.
            if is_dossier_json_file(path) {
                discovery.pdfs.push(InputFile {
                    path: metadata::normalise_path(path),
                    source: relative_source(root, path),
                });
            }
        } else if is_other_document(path) {
            discovery.pdfs.push(InputFile {
                path: metadata::normalise_path(path),
                source: relative_source(root, path),
            });
        }
    }
}

/// Whether the name ends in `.json`.
fn is_json_name(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
}

/// Whether the JSON file at `path` is a dossier of e-mails (`crate::readers::dossier`), read
/// whole only when it is not a sidecar (`NAME.pdf.json`, `NAME.docx.json`…).
fn is_dossier_json_file(path: &Path) -> bool {
    let stem = path.file_stem().map(Path::new);
    if stem.is_some_and(crate::readers::is_document_name) {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    crate::readers::dossier::is_dossier_json(&bytes)
}

/// Whether the XML file at `path` starts like an official publication, regulation or ruling
/// (`crate::readers::xml`); other XML (metadata records, search answers) is not a document.
fn is_document_xml_file(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(64 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    crate::readers::xml::is_document_xml(&head)
}

/// A file of another format than PDF that a reader takes ([`crate::readers`]), except the
/// project files that sit beside publications (`README`, `LICENSE`, `CHANGELOG`, `SOURCES`).
fn is_other_document(path: &Path) -> bool {
    if !crate::readers::is_document_name(path) {
        return false;
    }
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default();
    !matches!(
        stem.as_str(),
        "README" | "LICENSE" | "LICENCE" | "CHANGELOG" | "SOURCES" | "CONTRIBUTING"
    )
}

/// Reads a DiWoo sitemap: entries naming a local file give that file its metadata (and add it
/// to the inputs); the others become documents without pages. `root` is the input folder the
/// sources are relative to.
fn add_sitemap(discovery: &mut Discovery, path: &Path, root: &Path) {
    let source = relative_source(root, path);
    let sitemap = match crate::diwoo::read_sitemap(path) {
        Ok(Some(sitemap)) => sitemap,
        Ok(None) => {
            // Not a sitemap: an official publication, regulation or ruling is a document.
            if is_document_xml_file(path) {
                discovery.pdfs.push(InputFile {
                    path: metadata::normalise_path(path),
                    source,
                });
            }
            return;
        }
        Err(error) => {
            discovery
                .problems
                .push(failure(path, &source, error.to_string()));
            return;
        }
    };
    let root = metadata::normalise_path(root);
    for (index, entry) in sitemap.entries.iter().enumerate() {
        match crate::diwoo::entry_local_file(entry, path) {
            Some(pdf_path) if is_pdf_name(&pdf_path) => {
                let entry_metadata = crate::diwoo::entry_metadata(entry, &source, index);
                discovery.catalog.add_diwoo_entry(&pdf_path, entry_metadata);
                discovery.pdfs.push(InputFile {
                    source: relative_source(&root, &pdf_path),
                    path: pdf_path,
                });
            }
            _ => discovery
                .diwoo_entries
                .push(crate::diwoo::entry_document(entry, &source, index)),
        }
    }
}

/// Counts the records of a text-page file; it is read record by record when processed.
fn add_page_file(discovery: &mut Discovery, path: &Path, root: &Path) {
    let source = relative_source(root, path);
    match crate::pages::count_records(path) {
        Ok(records) => discovery.page_files.push((
            InputFile {
                path: metadata::normalise_path(path),
                source,
            },
            records,
        )),
        Err(error) => discovery
            .problems
            .push(failure(path, &source, error.to_string())),
    }
}

/// Reads a complaint-judgement file: each record is a document without pages. A record that
/// holds personal data ([`crate::privacy`]) or values outside the format's lists is refused
/// with its own report; the others are indexed.
fn add_complaints(discovery: &mut Discovery, path: &Path, source: &str) {
    match crate::complaint::read_complaints(path) {
        Ok(records) => {
            for record in &records {
                if let Some(refusal) = crate::complaint::record_refusal(record) {
                    let record_source = format!("{source}#{}", record.id);
                    discovery
                        .problems
                        .push(failure(path, &record_source, refusal));
                    continue;
                }
                let document = crate::complaint::complaint_document(record, source, path);
                discovery.complaints.push(document);
            }
        }
        Err(error) => discovery
            .problems
            .push(failure(path, source, error.to_string())),
    }
}

/// Reads a `publication.json`: its metadata for the PDFs of its folder, and the inventory it
/// names.
fn add_publication(discovery: &mut Discovery, path: &Path, root: &Path) {
    match metadata::read_publication(path) {
        Ok(publication) => {
            if let Some(inventory_file) = &publication.inventory {
                let folder = path.parent().unwrap_or(Path::new("."));
                let inventory_path = metadata::normalise_path(&folder.join(inventory_file));
                let title = publication.title.clone().unwrap_or_default();
                discovery
                    .named_inventories
                    .insert(inventory_path, (publication.id.clone(), title));
            }
            discovery.catalog.add_publication(path, publication)
        }
        Err(error) => discovery.problems.push(failure(
            path,
            &relative_source(root, path),
            error.to_string(),
        )),
    }
}
